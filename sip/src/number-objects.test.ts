import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  RoomAgentDispatch,
  RoomConfiguration,
  SIPDispatchRule,
  SIPDispatchRuleDirect,
  SIPDispatchRuleIndividual,
  SIPDispatchRuleInfo,
  SIPInboundTrunkInfo,
} from 'livekit-server-sdk';
import { dispatchMetadata, objectName, objectTag, toSipState } from './number-objects.js';
import { reconcile } from './reconcile.js';

const E164 = '+14155550123';
const assignment = {
  e164: E164,
  tenantId: 'ten_1',
  personaId: 'sales',
  allowedAddresses: ['127.0.0.1/32'],
};

function individualRule(id: string, name: string, trunkIds: string[]): SIPDispatchRuleInfo {
  return new SIPDispatchRuleInfo({
    sipDispatchRuleId: id,
    name,
    trunkIds,
    rule: new SIPDispatchRule({
      rule: {
        case: 'dispatchRuleIndividual',
        value: new SIPDispatchRuleIndividual({ roomPrefix: 'phone-' }),
      },
    }),
    roomConfig: new RoomConfiguration({
      agents: [
        new RoomAgentDispatch({
          agentName: 'parley',
          metadata: JSON.stringify(dispatchMetadata(assignment)),
        }),
      ],
    }),
  });
}

test("LiveKit's objects named parley:<e164> are Parley's; the others are left out", () => {
  const state = toSipState(
    [
      new SIPInboundTrunkInfo({
        sipTrunkId: 'ST_1',
        name: objectName(E164),
        metadata: objectTag(assignment),
        numbers: [E164],
        allowedAddresses: ['127.0.0.1/32'],
      }),
      new SIPInboundTrunkInfo({ sipTrunkId: 'ST_op', name: 'carrier trunk', numbers: [] }),
    ],
    [
      individualRule('SDR_1', objectName(E164), ['ST_1']),
      new SIPDispatchRuleInfo({ sipDispatchRuleId: 'SDR_op', name: 'lobby', trunkIds: ['ST_op'] }),
      new SIPDispatchRuleInfo({
        sipDispatchRuleId: 'SDR_open',
        name: 'catch-all',
        rule: new SIPDispatchRule({
          rule: { case: 'dispatchRuleDirect', value: new SIPDispatchRuleDirect({ roomName: 'x' }) },
        }),
      }),
    ],
  );

  assert.deepEqual(
    state.trunks.map((t) => [t.trunkId, t.e164, t.numbers, t.allowedAddresses]),
    [['ST_1', E164, [E164], ['127.0.0.1/32']]],
  );
  assert.deepEqual(
    state.rules.map((r) => [r.ruleId, r.e164, r.trunkIds, r.individualPrefix, r.agents.length]),
    [['SDR_1', E164, ['ST_1'], 'phone-', 1]],
  );
  assert.deepEqual(state.openForeignRules, ['SDR_open'], 'a rule naming no trunk is flagged');
  assert.deepEqual(
    reconcile([assignment], state),
    [],
    'what Parley provisions reads back as in line',
  );
});

test('a direct rule of Parley is read with no individual prefix, so reconcile corrects it', () => {
  const direct = new SIPDispatchRuleInfo({
    sipDispatchRuleId: 'SDR_2',
    name: objectName(E164),
    trunkIds: ['ST_1'],
    rule: new SIPDispatchRule({
      rule: { case: 'dispatchRuleDirect', value: new SIPDispatchRuleDirect({ roomName: 'one' }) },
    }),
  });
  const state = toSipState([], [direct]);
  assert.equal(state.rules[0]?.individualPrefix, undefined);
  assert.deepEqual(
    reconcile([assignment], state).map((a) => a.type),
    ['create-trunk', 'update-rule'],
  );
});
