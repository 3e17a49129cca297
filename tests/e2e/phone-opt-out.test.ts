/**
 * A spoken opt-out end to end: Parley dials a real SIP phone (baresip) through an outbound trunk
 * and livekit-sip; after the greeting the phone says "Please don't call me again."; the agent
 * (offline recogniser and scripted responder) calls `opt_out`. The number is then on the tenant's
 * do-not-call list, the phone heard the persona's opt-out line, the call ended as completed, and
 * dialling the number again is refused before anything rings.
 */
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { DoNotCallEntry, Persona } from '@parley/contracts';
import { admin, eventually, putPersona } from '../support/calls.js';
import {
  callsAnyTime,
  heardGreeting,
  heardUtterances,
  putOutboundTrunk,
  removeOutboundTrunk,
  type StoredPhoneCall,
} from '../support/phone-calls.js';
import { SipPhone } from '../support/sip-phone.js';
import { personaOf, testStack, type TestStack } from '../support/stack-env.js';
import { heardAs } from '../support/transcribe.js';
import { synthesize, type Pcm } from '../support/wav.js';

/** The caller id Parley presents, and the customer who opts out. */
const CALLER_ID = '+15550100019';
const CUSTOMER = '+15558300001';
const TRUNK = 'opt-out-customer';
const PERSONA_ID = 'opt-out-desk';

let stack: TestStack;
let persona: Persona;
let phone: SipPhone | undefined;
let pleaseDontCall: Pcm;

const doNotCallPath = `/v1/do-not-call/${encodeURIComponent(CUSTOMER)}`;

async function dial(): Promise<Response> {
  return fetch(`${stack.url}/v1/calls/outbound`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${stack.secrets.adminKey}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ persona: PERSONA_ID, to: CUSTOMER, trunk: TRUNK }),
  });
}

before(async () => {
  stack = await testStack();
  // The default persona (scripted, offline) enables no tools: opt_out is every phone call's own.
  persona = await personaOf(stack);
  await putPersona(stack, callsAnyTime(persona, PERSONA_ID));
  await admin(stack, '/v1/dial-policy', {
    method: 'PUT',
    body: JSON.stringify({ allowedPrefixes: ['+1555'], maxConcurrentPhoneCalls: 5 }),
  });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-opt-out-'));
  pleaseDontCall = await synthesize("Please don't call me again.", path.join(dir, 'opt-out.wav'));
});

after(async () => {
  await phone?.stop();
  await removeOutboundTrunk(stack, TRUNK);
  await fetch(`${stack.url}${doNotCallPath}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${stack.secrets.adminKey}` },
  });
  await stack.release();
});

test('a callee who says "please don\'t call me again" is put on the do-not-call list, hears the opt-out line, and the call ends completed', async () => {
  phone = await SipPhone.start({ number: CUSTOMER });
  await putOutboundTrunk(stack, TRUNK, phone.address, [CALLER_ID]);
  const res = await dial();
  assert.equal(res.status, 202, await res.clone().text());
  const { callId } = (await res.json()) as { callId: string };
  await phone.waitFor('CALL_ESTABLISHED', 30_000);
  const greeting = await heardGreeting(phone, persona.greeting);
  assert.ok(heardAs(persona.greeting, greeting.text), `the greeting is heard: "${greeting.text}"`);

  await phone.say(pleaseDontCall);
  const listed = await eventually(
    'the number on the do-not-call list',
    () => admin<{ data: DoNotCallEntry[] }>(stack, '/v1/do-not-call'),
    ({ data }) => data.some((entry) => entry.e164 === CUSTOMER),
    60_000,
  );
  const entry = listed.data.find((e) => e.e164 === CUSTOMER);
  assert.equal(entry?.reason, `asked not to be called again on call ${callId}`);

  const call = await eventually(
    'the call ended',
    () => admin<StoredPhoneCall>(stack, `/v1/calls/${callId}`),
    (c) => c.status === 'ended',
    60_000,
  );
  assert.equal(call.outcome, 'completed');
  assert.equal(call.closedBy, 'agent', 'the agent ended the call, not the callee');
  const optOutTurn = call.turns.find((t) => t.toolCalls.some((tc) => tc.name === 'opt_out'));
  assert.ok(optOutTurn, `a turn records opt_out: ${JSON.stringify(call.turns)}`);
  assert.match(optOutTurn.userText ?? '', /call/i, 'the turn holds what the callee said');

  // The agent hung up on the phone, and what the phone heard after the greeting (its recording
  // is complete now) is the persona's opt-out line.
  await phone.waitFor('CALL_CLOSED', 30_000);
  const heard = await heardUtterances(phone, greeting.utterances + 1);
  const closing = heard
    .slice(greeting.utterances)
    .map((u) => u.text)
    .join(' ');
  console.log(`# heard after the greeting: "${closing}"`);
  const line = persona.phone.optOutLine;
  assert.ok(heardAs(line, closing), `the opt-out line "${line}" is heard: "${closing}"`);

  // Dialling the number again is refused before anything rings.
  const again = await dial();
  assert.equal(again.status, 403);
  assert.equal(((await again.json()) as { error: { code: string } }).error.code, 'do_not_call');
});
