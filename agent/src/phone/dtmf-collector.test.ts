import { PhoneSettingsSchema } from '@parley/contracts';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DtmfCollector, type DtmfInput } from './dtmf-collector.js';

/** A clock the test moves by hand: timers fire only when `advance` passes their time. */
function manualClock() {
  let now = 0;
  let next = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    setTimeout: (fn: () => void, ms: number) => {
      timers.set(++next, { at: now + ms, fn });
      return next;
    },
    clearTimeout: (handle: unknown) => void timers.delete(handle as number),
    advance(ms: number) {
      now += ms;
      for (const [id, timer] of [...timers].sort((a, b) => a[1].at - b[1].at)) {
        if (timer.at > now) continue;
        timers.delete(id);
        timer.fn();
      }
    },
    get pending() {
      return timers.size;
    },
  };
}

function collector(settings: object = {}) {
  const clock = manualClock();
  const inputs: DtmfInput[] = [];
  const phone = PhoneSettingsSchema.parse({
    dtmfMenu: [
      { digit: '1', intent: 'What are your opening hours?' },
      { digit: '0', intent: 'I want to talk to a person.' },
    ],
    digitTimeoutMs: 2_000,
    maxDigits: 6,
    ...settings,
  });
  const keys = new DtmfCollector({ ...phone, ...clock, onInput: (i) => inputs.push(i) });
  return { keys, inputs, clock };
}

test('a menu key is its intent at once, as the caller words', () => {
  const { keys, inputs, clock } = collector();
  keys.press('1');
  assert.deepEqual(inputs, [{ kind: 'menu', text: 'What are your opening hours?', keys: '1' }]);
  assert.equal(clock.pending, 0, 'no digit string was started');
});

test('a digit string ends on # and keeps the # in the keys', () => {
  const { keys, inputs } = collector();
  for (const key of ['4', '2', '7', '#']) keys.press(key);
  assert.deepEqual(inputs, [{ kind: 'digits', text: 'My number is 427.', keys: '427#' }]);
});

test('inside a digit string, menu keys are digits like any other', () => {
  const { keys, inputs } = collector();
  for (const key of ['5', '1', '0', '#']) keys.press(key);
  assert.deepEqual(
    inputs.map((i) => i.keys),
    ['510#'],
  );
});

test('a digit string ends after digitTimeoutMs without a key, each key restarting the wait', () => {
  const { keys, inputs, clock } = collector();
  keys.press('9');
  clock.advance(1_500);
  keys.press('8');
  clock.advance(1_500);
  assert.equal(inputs.length, 0, 'the second key restarted the wait');
  clock.advance(500);
  assert.deepEqual(inputs, [{ kind: 'digits', text: 'My number is 98.', keys: '98' }]);
  assert.equal(clock.pending, 0);
});

test('a digit string ends at maxDigits, and the next key starts a new one', () => {
  const { keys, inputs, clock } = collector({ maxDigits: 3 });
  for (const key of ['2', '3', '4', '5']) keys.press(key);
  assert.deepEqual(
    inputs.map((i) => i.keys),
    ['234'],
  );
  clock.advance(2_000);
  assert.deepEqual(
    inputs.map((i) => i.text),
    ['My number is 234.', 'My number is 5.'],
  );
});

test('a lone # and keys that are not DTMF are ignored', () => {
  const { keys, inputs, clock } = collector();
  keys.press('#');
  keys.press('x');
  keys.press('12');
  clock.advance(10_000);
  assert.deepEqual(inputs, []);
});

test('close hands over the digits typed so far, and later keys are ignored', () => {
  const { keys, inputs, clock } = collector();
  keys.press('7');
  keys.press('*');
  keys.close();
  keys.press('1');
  clock.advance(10_000);
  assert.deepEqual(inputs, [{ kind: 'digits', text: 'My number is 7*.', keys: '7*' }]);
});
