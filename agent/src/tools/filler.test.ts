import { llm } from '@livekit/agents';
import assert from 'node:assert/strict';
import { beforeEach, describe, mock, test } from 'node:test';
import { fakeToolCall, FakeControls, testPersona } from '../../test/fake-call.js';
import { FillerLines, withFiller } from './filler.js';

const persona = testPersona({
  filler: { lines: ['One moment, please.', 'Still looking.'], afterMs: 1_000 },
});

/** A tool whose calls finish only when the test says so. */
function slowTool() {
  const pending: ((value: string) => void)[] = [];
  const tool = llm.tool({
    name: 'check_stock',
    description: 'Checks stock.',
    execute: () => new Promise<string>((resolve) => pending.push(resolve)),
  });
  return { tool, finish: (value: string) => pending.shift()?.(value) };
}

describe('withFiller', () => {
  let controls: FakeControls;
  let lines: FillerLines;

  beforeEach(() => {
    mock.timers.enable({ apis: ['setTimeout'] });
    controls = new FakeControls();
    lines = new FillerLines(persona.filler, controls);
  });

  test('when a tool call outlasts afterMs, then one filler line is said, and its result is unchanged', async (t) => {
    t.after(() => mock.timers.reset());
    const { tool, finish } = slowTool();
    const running = withFiller(tool, lines).execute({}, fakeToolCall().opts);
    mock.timers.tick(999);
    assert.deepEqual(controls.log, []);
    mock.timers.tick(1);
    assert.deepEqual(controls.log, ['say: One moment, please.']);
    mock.timers.tick(5_000);
    assert.deepEqual(controls.log, ['say: One moment, please.'], 'once per tool call');
    finish('3 in stock');
    assert.equal(await running, '3 in stock');
  });

  test('when slow calls follow each other, then the lines are taken in turn and wrap around', async (t) => {
    t.after(() => mock.timers.reset());
    const { tool, finish } = slowTool();
    const wrapped = withFiller(tool, lines);
    for (let i = 0; i < 3; i++) {
      const running = wrapped.execute({}, fakeToolCall().opts);
      mock.timers.tick(1_000);
      finish('done');
      await running;
    }
    assert.deepEqual(controls.log, [
      'say: One moment, please.',
      'say: Still looking.',
      'say: One moment, please.',
    ]);
  });

  test('when a tool call finishes (or fails) before afterMs, then nothing is said', async (t) => {
    t.after(() => mock.timers.reset());
    const quick = llm.tool({ name: 'quick', description: 'Quick.', execute: async () => 'ok' });
    const failing = llm.tool({
      name: 'failing',
      description: 'Fails.',
      execute: async () => {
        throw new llm.ToolError('no such order');
      },
    });
    assert.equal(await withFiller(quick, lines).execute({}, fakeToolCall().opts), 'ok');
    await assert.rejects(withFiller(failing, lines).execute({}, fakeToolCall().opts), {
      message: 'no such order',
    });
    mock.timers.tick(10_000);
    assert.deepEqual(controls.log, []);
  });

  test('when the filler line cannot be spoken, then the tool still answers', async (t) => {
    t.after(() => mock.timers.reset());
    let warned!: (msg: string) => void;
    const warning = new Promise<string>((resolve) => (warned = resolve));
    const broken = new FillerLines(
      persona.filler,
      { say: async () => Promise.reject(new Error('session closed')) },
      { info: () => undefined, warn: (_obj, msg) => warned(msg), error: () => undefined },
    );
    const { tool, finish } = slowTool();
    const running = withFiller(tool, broken).execute({}, fakeToolCall().opts);
    mock.timers.tick(1_000);
    finish('3 in stock');
    assert.equal(await running, '3 in stock');
    assert.equal(await warning, 'the filler line could not be spoken');
  });
});
