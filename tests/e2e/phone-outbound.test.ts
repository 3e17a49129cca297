/**
 * Outbound phone calls end to end: Parley dials a real SIP phone (baresip) through an outbound
 * trunk and livekit-sip; the phone answers, rings out, or is busy, and the call record and the
 * `call.phone_status` webhooks say which.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Persona } from '@parley/contracts';
import { admin, eventually, putPersona } from '../support/calls.js';
import {
  callsAnyTime,
  heardGreeting,
  putOutboundTrunk,
  removeOutboundTrunk,
  type StoredPhoneCall,
} from '../support/phone-calls.js';
import { SipPhone, type SipPhoneOptions } from '../support/sip-phone.js';
import { personaOf, testStack, type TestStack } from '../support/stack-env.js';
import { heardAs } from '../support/transcribe.js';

/** The caller id Parley presents; the customers' numbers are +1555800000x. */
const CALLER_ID = '+15550100009';

let stack: TestStack;
let persona: Persona;
let endpointId: string;
const phones: SipPhone[] = [];
const trunks: string[] = [];

async function customer(number: string, options: Omit<SipPhoneOptions, 'number'> = {}) {
  const phone = await SipPhone.start({ number, ...options });
  phones.push(phone);
  // Each customer sits behind a trunk of its own: the trunk's address is the phone's.
  trunks.push(`to-${number.slice(1)}`);
  await putOutboundTrunk(stack, `to-${number.slice(1)}`, phone.address, [CALLER_ID]);
  return phone;
}

interface Dialled {
  callId: string;
  roomName: string;
  status: string;
}

async function dial(to: string, trunk: string, extra: object = {}): Promise<Response> {
  return fetch(`${stack.url}/v1/calls/outbound`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${stack.secrets.adminKey}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ persona: 'outbound', to, trunk, ...extra }),
  });
}

async function phoneStatusEvents(callId: string): Promise<string[]> {
  const { data } = await admin<{
    data: Array<{ eventType: string; payload: { callId?: string; status?: string } }>;
  }>(stack, `/v1/webhook-deliveries?endpointId=${endpointId}&limit=100`);
  return data
    .filter((d) => d.eventType === 'call.phone_status' && d.payload.callId === callId)
    .map((d) => d.payload.status ?? '');
}

before(async () => {
  stack = await testStack();
  persona = await personaOf(stack);
  // The default persona's business hours are its calling hours; this one may call at any time.
  await putPersona(stack, callsAnyTime(persona, 'outbound'));
  await admin(stack, '/v1/dial-policy', {
    method: 'PUT',
    body: JSON.stringify({ allowedPrefixes: ['+1555'], maxConcurrentPhoneCalls: 5 }),
  });
  // Nothing listens there: deliveries stay queued, and the suite reads them.
  const endpoint = await admin<{ id: string }>(stack, '/v1/webhook-endpoints', {
    method: 'POST',
    body: JSON.stringify({
      url: 'http://127.0.0.1:9/phone-events',
      events: ['call.phone_status'],
      secret: 'phone-suite-secret-0123456789',
    }),
  });
  endpointId = endpoint.id;
});

after(async () => {
  for (const phone of phones) await phone.stop();
  for (const trunk of trunks) await removeOutboundTrunk(stack, trunk);
  await stack.release();
});

test('an outbound call to an answering phone is answered, greets, and is tracked to answered', async () => {
  const to = '+15558000001';
  const phone = await customer(to);
  const sentAt = Date.now();
  const res = await dial(to, `to-${to.slice(1)}`);
  assert.equal(res.status, 202, await res.clone().text());
  const dialled = (await res.json()) as Dialled;
  assert.equal(dialled.status, 'dialing');
  const answered = await phone.waitFor('CALL_ESTABLISHED', 30_000);
  console.log(`# outbound dial → answered: ${answered.at - sentAt} ms`);
  const greeting = await heardGreeting(phone, persona.greeting);
  assert.ok(heardAs(persona.greeting, greeting.text), `the greeting is heard: "${greeting.text}"`);
  const call = await eventually(
    'the outbound call answered',
    () => admin<StoredPhoneCall>(stack, `/v1/calls/${dialled.callId}`),
    (c) => c.phoneStatus === 'answered',
    30_000,
  );
  assert.equal(call.channel, 'phone');
  assert.equal(call.direction, 'outbound');
  assert.equal(call.caller.phoneNumber, to);
  await eventually(
    'call.phone_status webhooks',
    () => phoneStatusEvents(dialled.callId),
    (events) => events.includes('answered'),
    30_000,
  );
  await phone.hangup();
  await eventually(
    'the call ended',
    () => admin<StoredPhoneCall>(stack, `/v1/calls/${dialled.callId}`),
    (c) => c.status === 'ended',
    60_000,
  );
});

test('an outbound call to a busy phone ends busy, and one nobody answers ends no_answer', async () => {
  const busy = '+15558000002';
  const silent = '+15558000003';
  await customer(busy, { incoming: 'busy' });
  const ringing = await customer(silent, { incoming: 'ring' });
  const busyCall = (await (await dial(busy, `to-${busy.slice(1)}`)).json()) as Dialled;
  const silentCall = (await (
    await dial(silent, `to-${silent.slice(1)}`, { ringTimeoutSeconds: 5 })
  ).json()) as Dialled;
  await ringing.waitFor('CALL_INCOMING', 30_000);
  for (const [dialled, status] of [
    [busyCall, 'busy'],
    [silentCall, 'no_answer'],
  ] as const) {
    const call = await eventually(
      `the call to end ${status}`,
      () => admin<StoredPhoneCall>(stack, `/v1/calls/${dialled.callId}`),
      (c) => c.phoneStatus === status && c.status === 'ended',
      60_000,
    );
    assert.equal(call.direction, 'outbound');
    await eventually(
      `a ${status} webhook`,
      () => phoneStatusEvents(dialled.callId),
      (events) => events.includes(status),
      30_000,
    );
  }
});

test('numbers on the do-not-call list and outside the allowed prefixes are refused before anything dials', async () => {
  const listed = '+15558000004';
  const phone = await customer(listed);
  await admin(stack, `/v1/do-not-call/${encodeURIComponent(listed)}`, { method: 'PUT' });
  const refused = await dial(listed, `to-${listed.slice(1)}`);
  assert.equal(refused.status, 403);
  assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'do_not_call');

  const abroad = await dial('+447700900123', `to-${listed.slice(1)}`);
  assert.equal(abroad.status, 403);
  assert.equal(
    ((await abroad.json()) as { error: { code: string } }).error.code,
    'destination_not_allowed',
  );
  // Had either dialled, the listed phone would have rung by now.
  await assert.rejects(phone.waitFor('CALL_INCOMING', 3_000), /no CALL_INCOMING/);
});
