import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  dispatchMetadata,
  type NumberAssignment,
  type ParleyRule,
  type ParleyTrunk,
  type SipState,
} from './number-objects.js';
import { describeAction, isRestricted, reconcile, type ReconcileAction } from './reconcile.js';

const A = '+14155550101';
const B = '+14155550102';

function assignment(e164: string, overrides: Partial<NumberAssignment> = {}): NumberAssignment {
  return {
    e164,
    tenantId: 'ten_1',
    personaId: 'sales',
    allowedAddresses: ['203.0.113.0/24'],
    ...overrides,
  };
}

function trunk(e164: string, overrides: Partial<ParleyTrunk> = {}): ParleyTrunk {
  return {
    trunkId: `ST_${e164.slice(-3)}`,
    e164,
    numbers: [e164],
    allowedAddresses: ['203.0.113.0/24'],
    authUsername: '',
    authPassword: '',
    ...overrides,
  };
}

function rule(e164: string, overrides: Partial<ParleyRule> = {}): ParleyRule {
  return {
    ruleId: `SDR_${e164.slice(-3)}`,
    e164,
    trunkIds: [`ST_${e164.slice(-3)}`],
    individualPrefix: 'phone-',
    agents: [{ agentName: 'parley', metadata: JSON.stringify(dispatchMetadata(assignment(e164))) }],
    ...overrides,
  };
}

function state(trunks: ParleyTrunk[], rules: ParleyRule[]): SipState {
  return { trunks, rules, openForeignRules: [] };
}

/** `type e164 id` per action, in order: easy to read in a failing assertion. */
function plan(actions: ReconcileAction[]): string[] {
  return actions.map((a) => {
    const id = 'trunkId' in a ? ` ${a.trunkId}` : 'ruleId' in a ? ` ${a.ruleId}` : '';
    return `${a.type} ${a.e164}${id}`;
  });
}

describe('reconcile', () => {
  test('when LiveKit already holds exactly what is assigned, then nothing is done', () => {
    const actions = reconcile(
      [assignment(A), assignment(B)],
      state([trunk(A), trunk(B)], [rule(A), rule(B)]),
    );
    assert.deepEqual(actions, []);
  });

  test('when a number is new, then its trunk is created before its rule', () => {
    assert.deepEqual(plan(reconcile([assignment(A)], state([], []))), [
      `create-trunk ${A}`,
      `create-rule ${A}`,
    ]);
  });

  test('when a rule was deleted behind the server, then only the rule is recreated', () => {
    const actions = reconcile([assignment(A)], state([trunk(A)], []));
    assert.deepEqual(plan(actions), [`create-rule ${A}`]);
    assert.match(actions[0]?.reason ?? '', /missing/);
  });

  test('when a trunk was deleted behind the server, then it is recreated and its rule repointed', () => {
    const actions = reconcile([assignment(A)], state([], [rule(A)]));
    assert.deepEqual(plan(actions), [`create-trunk ${A}`, `update-rule ${A} SDR_101`]);
    assert.match(actions[1]?.reason ?? '', /names trunks \[ST_101\], not the number's own/);
  });

  test('when a number is no longer assigned, then its rule is deleted before its trunk', () => {
    const actions = reconcile([assignment(B)], state([trunk(A), trunk(B)], [rule(A), rule(B)]));
    assert.deepEqual(plan(actions), [`delete-rule ${A} SDR_101`, `delete-trunk ${A} ST_101`]);
    assert.ok(actions.every((a) => a.reason === 'the number is no longer assigned'));
  });

  test('when the rule dispatches another persona, then it is updated, saying which', () => {
    const actions = reconcile(
      [assignment(A, { personaId: 'support' })],
      state([trunk(A)], [rule(A)]),
    );
    assert.deepEqual(plan(actions), [`update-rule ${A} SDR_101`]);
    assert.match(actions[0]?.reason ?? '', /dispatches persona 'sales', not 'support'/);
  });

  test('when the rule dispatches for another tenant or another agent, then it is updated', () => {
    const otherTenant = reconcile(
      [assignment(A, { tenantId: 'ten_2' })],
      state([trunk(A)], [rule(A)]),
    );
    assert.match(otherTenant[0]?.reason ?? '', /tenant 'ten_1', not 'ten_2'/);
    const otherAgent = reconcile(
      [assignment(A)],
      state([trunk(A)], [rule(A, { agents: [{ agentName: 'someone', metadata: '{}' }] })]),
    );
    assert.deepEqual(plan(otherAgent), [`update-rule ${A} SDR_101`]);
    const twoAgents = reconcile(
      [assignment(A)],
      state([trunk(A)], [rule(A, { agents: [...rule(A).agents, ...rule(A).agents] })]),
    );
    assert.deepEqual(plan(twoAgents), [`update-rule ${A} SDR_101`]);
  });

  test('when a rule names no trunk, then it is updated to name the number trunk', () => {
    const actions = reconcile([assignment(A)], state([trunk(A)], [rule(A, { trunkIds: [] })]));
    assert.deepEqual(plan(actions), [`update-rule ${A} SDR_101`]);
    assert.match(actions[0]?.reason ?? '', /names no trunk/);
  });

  test('when a rule is not individual with the phone- prefix, then it is updated', () => {
    const direct = reconcile(
      [assignment(A)],
      state([trunk(A)], [rule(A, { individualPrefix: undefined })]),
    );
    const prefix = reconcile(
      [assignment(A)],
      state([trunk(A)], [rule(A, { individualPrefix: 'call-' })]),
    );
    assert.deepEqual(plan(direct), [`update-rule ${A} SDR_101`]);
    assert.deepEqual(plan(prefix), [`update-rule ${A} SDR_101`]);
  });

  test('when the rule metadata is not JSON, then it is updated rather than trusted', () => {
    const actions = reconcile(
      [assignment(A)],
      state([trunk(A)], [rule(A, { agents: [{ agentName: 'parley', metadata: 'not json' }] })]),
    );
    assert.deepEqual(plan(actions), [`update-rule ${A} SDR_101`]);
  });

  test('when the trunk answers other numbers, allows other addresses or other credentials, then it is updated', () => {
    const cases: Partial<ParleyTrunk>[] = [
      { numbers: [A, B] },
      { numbers: [] },
      { allowedAddresses: [] },
      { allowedAddresses: ['203.0.113.0/24', '198.51.100.7'] },
      { authUsername: 'carrier' },
      { authPassword: 'leaked-password' },
    ];
    for (const drift of cases) {
      const actions = reconcile([assignment(A)], state([trunk(A, drift)], [rule(A)]));
      assert.deepEqual(plan(actions), [`update-trunk ${A} ST_101`], JSON.stringify(drift));
    }
  });

  test('when addresses are the same set in another order, then the trunk is left alone', () => {
    const want = assignment(A, { allowedAddresses: ['198.51.100.7', '203.0.113.0/24'] });
    const have = trunk(A, { allowedAddresses: ['203.0.113.0/24', '198.51.100.7'] });
    assert.deepEqual(reconcile([want], state([have], [rule(A)])), []);
  });

  test('when LiveKit does not answer the password, then a matching username is enough', () => {
    const want = assignment(A, {
      allowedAddresses: [],
      authUsername: 'u',
      authPassword: 'secret-1',
    });
    const have = trunk(A, { allowedAddresses: [], authUsername: 'u', authPassword: '' });
    assert.deepEqual(reconcile([want], state([have], [rule(A)])), []);
  });

  test('when LiveKit holds duplicates, then the stored ids are kept and the others deleted', () => {
    const stored = assignment(A, { trunkId: 'ST_keep', dispatchRuleId: 'SDR_keep' });
    const actions = reconcile(
      [stored],
      state(
        [trunk(A, { trunkId: 'ST_other' }), trunk(A, { trunkId: 'ST_keep' })],
        [
          rule(A, { ruleId: 'SDR_other', trunkIds: ['ST_other'] }),
          rule(A, { ruleId: 'SDR_keep', trunkIds: ['ST_keep'] }),
        ],
      ),
    );
    assert.deepEqual(plan(actions), [`delete-rule ${A} SDR_other`, `delete-trunk ${A} ST_other`]);
  });

  test('when a number has neither addresses nor credentials, then it gets no trunk and loses any it had', () => {
    const open = assignment(A, { allowedAddresses: [] });
    assert.equal(isRestricted(open), false);
    assert.deepEqual(reconcile([open], state([], [])), []);
    const actions = reconcile([open], state([trunk(A)], [rule(A)]));
    assert.deepEqual(plan(actions), [`delete-rule ${A} SDR_101`, `delete-trunk ${A} ST_101`]);
    assert.ok(actions.every((a) => /neither allowed addresses nor credentials/.test(a.reason)));
  });

  test('when only a username is given, then the number counts as unrestricted', () => {
    assert.equal(isRestricted(assignment(A, { allowedAddresses: [], authUsername: 'u' })), false);
    assert.equal(
      isRestricted(assignment(A, { allowedAddresses: [], authUsername: 'u', authPassword: 'p' })),
      true,
    );
  });

  test('when scoped to one number, then other numbers objects are left alone', () => {
    const actions = reconcile(
      [assignment(A, { personaId: 'support' })],
      state([trunk(A), trunk(B)], [rule(A), rule(B)]),
      { numbers: [A] },
    );
    assert.deepEqual(plan(actions), [`update-rule ${A} SDR_101`]);
    const deprovision = reconcile([], state([trunk(A), trunk(B)], [rule(A), rule(B)]), {
      numbers: [B],
    });
    assert.deepEqual(plan(deprovision), [`delete-rule ${B} SDR_102`, `delete-trunk ${B} ST_102`]);
  });

  test('a repair reads as one log line naming the object, the number and why', () => {
    const [action] = reconcile([assignment(A)], state([trunk(A)], []));
    assert.ok(action);
    assert.equal(
      describeAction(action),
      `created the dispatch rule of ${A} (the dispatch rule was missing)`,
    );
    const [deleted] = reconcile([], state([trunk(A)], []));
    assert.ok(deleted);
    assert.equal(
      describeAction(deleted),
      `deleted the inbound trunk ST_101 of ${A} (the number is no longer assigned)`,
    );
  });
});
