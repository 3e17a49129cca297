/**
 * The server restarts in the middle of a campaign, while its first calls ring a real SIP PBX
 * (baresip, one account per contact, none answering). The restarted server takes the campaign
 * up from the database: it dials nobody while their call may still ring, and then retries each
 * contact once, as the policy says. Each line rings exactly twice, never twice at once.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Campaign, CampaignContact } from '@parley/contracts';
import { admin, eventually, putPersona } from '../support/calls.js';
import { callsAnyTime, putOutboundTrunk } from '../support/phone-calls.js';
import { SipPhone, type PhoneEvent } from '../support/sip-phone.js';
import { personaOf } from '../support/stack-env.js';
import { startChaosStack, type ChaosStack } from './chaos-stack.js';
import { figure } from './figures.js';

const SUITE = 'server-restart-campaign';
const CONTACTS = ['+15558400001', '+15558400002', '+15558400003'];
const DOWN_MS = 3_000;

let stack: ChaosStack;
let pbx: SipPhone;

before(async () => {
  stack = await startChaosStack(SUITE, 4);
  await putPersona(stack, callsAnyTime(await personaOf(stack), 'campaigner'));
  await admin(stack, '/v1/dial-policy', {
    method: 'PUT',
    body: JSON.stringify({ allowedPrefixes: ['+1555'], maxConcurrentPhoneCalls: 5 }),
  });
  const [first = '', ...others] = CONTACTS;
  pbx = await SipPhone.start({
    number: first,
    incoming: 'ring',
    extensions: others.map((number) => ({ number, incoming: 'ring' as const })),
  });
  await putOutboundTrunk(stack, 'pbx', pbx.address, ['+15550100049']);
});

after(async () => {
  await pbx?.stop();
  await stack?.release();
});

/** Each call the PBX took for `number`: when it rang and when it closed. */
function callsTo(number: string): { rang: number; closed?: number }[] {
  const byId = new Map<string, PhoneEvent[]>();
  for (const event of pbx.eventsOf(number)) {
    if (typeof event.id !== 'string') continue;
    byId.set(event.id, [...(byId.get(event.id) ?? []), event]);
  }
  return [...byId.values()].map((events) => ({
    rang: events.find((e) => e.type === 'CALL_INCOMING')?.at ?? events[0]?.at ?? 0,
    closed: events.find((e) => e.type === 'CALL_CLOSED')?.at,
  }));
}

test('a server restarted while a campaign’s calls ring dials nobody twice, then retries each contact once', async (t) => {
  const campaign = await admin<Campaign>(stack, '/v1/campaigns', {
    method: 'POST',
    body: JSON.stringify({
      name: 'Restart drill',
      persona: 'campaigner',
      trunk: 'pbx',
      contacts: CONTACTS.map((number) => ({ number })),
      maxConcurrentCalls: 3,
      ringTimeoutSeconds: 10,
      retry: { retryOn: ['no_answer', 'failed'], retryAfterSeconds: 5, maxAttempts: 2 },
    }),
  });
  await admin(stack, `/v1/campaigns/${campaign.id}/start`, { method: 'POST' });
  await eventually(
    'every line ringing',
    async () => CONTACTS.map((n) => callsTo(n).length),
    (counts) => counts.every((c) => c === 1),
    30_000,
  );
  const restartedAt = Date.now();
  await stack.stack.restart('server', DOWN_MS);

  const done = await eventually(
    'the campaign completed after the restart',
    () => admin<Campaign>(stack, `/v1/campaigns/${campaign.id}`),
    (c) => c.status === 'completed',
    180_000,
  );
  figure(t, SUITE, 'server restart to the campaign completed', Date.now() - restartedAt);
  const { data: contacts } = await admin<{ data: CampaignContact[] }>(
    stack,
    `/v1/campaigns/${campaign.id}/contacts`,
  );
  for (const contact of contacts) {
    assert.equal(contact.status, 'exhausted', `${contact.number}: ${JSON.stringify(contact)}`);
    assert.equal(contact.attempts.length, 2, `${contact.number} tried twice`);
  }
  for (const number of CONTACTS) {
    const calls = callsTo(number);
    assert.equal(calls.length, 2, `${number} rang twice, not more`);
    const [first, second] = calls;
    assert.ok(first?.closed !== undefined, `${number}: the first call ended`);
    assert.ok(
      second && second.rang >= first.closed,
      `${number}: the retry rang ${first.closed - (second?.rang ?? 0)} ms before the first call ended`,
    );
  }
  assert.equal(done.stats.attempts, 6);
});
