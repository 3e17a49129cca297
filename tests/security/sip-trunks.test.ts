/**
 * SIP trunks are restricted: a call from an address no trunk allows, or to a number no persona
 * answers, reaches no room, starts no agent and leaves no call record — through the real
 * livekit-sip with a real SIP phone. livekit-sip refuses such calls without a SIP error code
 * (100, 180, then nothing), so refusal is asserted by what did not happen.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  livekitClients,
  assignNumber,
  phoneCallsFrom,
  roomsWithCaller,
  unassignNumber,
} from '../support/phone-calls.js';
import { SipPhone } from '../support/sip-phone.js';
import { testStack, type TestStack } from '../support/stack-env.js';

const LINE = '+15550400001';

let stack: TestStack;

before(async () => {
  stack = await testStack();
  await assignNumber(stack, LINE, 'default');
});

after(async () => {
  await unassignNumber(stack, LINE);
  await stack.release();
});

/** How long a refused call is given to be answered anyway (the bridge sends no SIP error). */
const REFUSAL_WAIT_MS = 8_000;

async function assertRefused(from: string, to: string, host?: string): Promise<void> {
  const phone = await SipPhone.start({ number: from, ...(host ? { host } : {}) });
  try {
    await phone.dial(to, stack.sipAddress);
    await assert.rejects(phone.waitFor('CALL_ESTABLISHED', REFUSAL_WAIT_MS), /no CALL_ESTABLISHED/);
    assert.deepEqual(await roomsWithCaller(stack, from), [], 'no room holds the caller');
    assert.deepEqual(await phoneCallsFrom(stack, from), [], 'no call record');
  } finally {
    await phone.stop();
  }
}

test('a call from an address the trunk does not allow reaches no room and leaves no record', async () => {
  await assertRefused('+15557000004', LINE, '127.0.0.2');
});

test('a call to a number assigned to no persona reaches no room and leaves no record', async () => {
  await assertRefused('+15557000005', '+15550199999');
});

test('every dispatch rule Parley provisions names its trunks, and every inbound trunk is restricted', async () => {
  const { sip } = livekitClients(stack);
  const rules = await sip.listSipDispatchRule();
  assert.ok(rules.length > 0, "the suite's number has a rule");
  for (const rule of rules) {
    assert.ok(rule.trunkIds.length > 0, `rule ${rule.sipDispatchRuleId} names its trunks`);
  }
  for (const trunk of await sip.listSipInboundTrunk()) {
    const restricted = trunk.allowedAddresses.length > 0 || (trunk.authUsername ?? '') !== '';
    assert.ok(restricted, `trunk ${trunk.sipTrunkId} (${trunk.numbers.join(', ')}) is restricted`);
  }
});
