import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PersonaSchema, type DialPolicy, type PersonaInput } from '@parley/contracts';
import type { DialPolicyRepo } from './dial-policy-repo.js';
import {
  assertMayDial,
  callingHoursOf,
  isAllowedDestination,
  isWithinCallingHours,
} from './dial-guards.js';

const persona = (extra: Partial<PersonaInput> = {}) =>
  PersonaSchema.parse({ id: 'sales', name: 'Sales', greeting: 'Hi', instructions: '', ...extra });

/** Dial rules held in memory: the guards read only these four answers. */
function rules(
  options: { dnc?: string[]; policy?: DialPolicy; active?: number } = {},
): DialPolicyRepo {
  const policy = options.policy ?? { allowedPrefixes: ['+1'], maxConcurrentPhoneCalls: 2 };
  return {
    isDoNotCall: (e164: string) => Promise.resolve((options.dnc ?? []).includes(e164)),
    policy: () => Promise.resolve(policy),
    activePhoneCalls: () => Promise.resolve(options.active ?? 0),
  } as unknown as DialPolicyRepo;
}

const refusal = async (check: Parameters<typeof assertMayDial>[0]) => {
  try {
    await assertMayDial(check);
    return 'allowed';
  } catch (err) {
    return (err as { code: string }).code;
  }
};

// Monday 2026-12-07 10:00 in Paris is 09:00 UTC.
const MONDAY_10_PARIS = new Date('2026-12-07T09:00:00Z');
const MONDAY_20_PARIS = new Date('2026-12-07T19:00:00Z');
const weekdays = (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({
  day,
  open: '09:00',
  close: '18:00',
}));

describe('destination prefixes (the toll-fraud guard)', () => {
  test('when no prefix is allowed (the default), then no number may be dialled', () => {
    assert.equal(
      isAllowedDestination({ allowedPrefixes: [], maxConcurrentPhoneCalls: 5 }, '+15550100'),
      false,
    );
  });

  test('a number is allowed only under one of the prefixes', () => {
    const policy = { allowedPrefixes: ['+1', '+4420'], maxConcurrentPhoneCalls: 5 };
    assert.equal(isAllowedDestination(policy, '+14155550123'), true);
    assert.equal(isAllowedDestination(policy, '+442071234567'), true);
    assert.equal(isAllowedDestination(policy, '+441611234567'), false);
    assert.equal(isAllowedDestination(policy, '+8823512345'), false);
  });
});

describe('calling hours', () => {
  test('without calling hours or business hours, any time is fine', () => {
    assert.equal(callingHoursOf(persona()), undefined);
    assert.equal(isWithinCallingHours(persona(), MONDAY_20_PARIS), true);
  });

  test("the persona's business hours apply in its time zone", () => {
    const p = persona({ businessHours: { timeZone: 'Europe/Paris', weekly: weekdays } });
    assert.equal(isWithinCallingHours(p, MONDAY_10_PARIS), true);
    assert.equal(isWithinCallingHours(p, MONDAY_20_PARIS), false);
  });

  test('calling hours win over business hours, in the business time zone', () => {
    const p = persona({
      businessHours: { timeZone: 'Europe/Paris', weekly: weekdays },
      phone: { callingHours: [{ day: 'mon', open: '19:30', close: '21:00' }] },
    });
    assert.equal(isWithinCallingHours(p, MONDAY_10_PARIS), false);
    assert.equal(isWithinCallingHours(p, MONDAY_20_PARIS), true);
  });

  test('calling hours without business hours are in UTC', () => {
    const p = persona({ phone: { callingHours: [{ day: 'mon', open: '08:30', close: '09:30' }] } });
    assert.equal(isWithinCallingHours(p, MONDAY_10_PARIS), true);
    assert.equal(isWithinCallingHours(p, MONDAY_20_PARIS), false);
  });
});

describe('the checks before a dial, each with its typed error', () => {
  const base = { persona: persona(), to: '+15550100123', now: MONDAY_10_PARIS, callingHours: true };

  test('a number on the do-not-call list is refused first', async () => {
    assert.equal(
      await refusal({ ...base, rules: rules({ dnc: ['+15550100123'] }) }),
      'do_not_call',
    );
    assert.equal(await refusal({ ...base, rules: rules({ dnc: ['+15550100999'] }) }), 'allowed');
  });

  test('a destination outside the allowed prefixes is refused', async () => {
    assert.equal(
      await refusal({ ...base, to: '+33612345678', rules: rules() }),
      'destination_not_allowed',
    );
  });

  test('outside calling hours is refused for outbound calls, not for a visitor asking now', async () => {
    const closed = {
      ...base,
      persona: persona({ businessHours: { timeZone: 'Europe/Paris', weekly: weekdays } }),
      now: MONDAY_20_PARIS,
    };
    assert.equal(await refusal({ ...closed, rules: rules() }), 'outside_calling_hours');
    assert.equal(await refusal({ ...closed, callingHours: false, rules: rules() }), 'allowed');
  });

  test('at the concurrent phone call limit, the next call is refused', async () => {
    assert.equal(await refusal({ ...base, rules: rules({ active: 1 }) }), 'allowed');
    assert.equal(await refusal({ ...base, rules: rules({ active: 2 }) }), 'phone_call_limit');
  });
});
