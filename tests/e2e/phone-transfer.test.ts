/**
 * Transfers end to end with real SIP phones: a caller asks for a person and is handed over —
 * cold (SIP REFER: the caller's phone calls the target itself) or warm (Parley rings the person,
 * briefs them, then brings them into the call) — and a warm transfer nobody answers comes back to
 * the caller with a callback offer.
 */
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Persona, PersonaInput } from '@parley/contracts';
import { admin, putPersona } from '../support/calls.js';
import {
  assignNumber,
  callIn,
  heardUtterances,
  phoneCallOf,
  putOutboundTrunk,
  removeOutboundTrunk,
  settledUtterances,
  type StoredPhoneCall,
  unassignNumber,
} from '../support/phone-calls.js';
import { SipPhone, type SipPhoneOptions } from '../support/sip-phone.js';
import { personaOf, testStack, type TestStack } from '../support/stack-env.js';
import { heardAs } from '../support/transcribe.js';
import { synthesize, type Pcm } from '../support/wav.js';

const COLD_LINE = '+15550200001';
const WARM_LINE = '+15550200002';
const UNANSWERED_LINE = '+15550200003';

let stack: TestStack;
let base: Persona;
let askForHuman: Pcm;
let hello: Pcm;
const phones: SipPhone[] = [];

async function phone(number: string, options: Omit<SipPhoneOptions, 'number'> = {}) {
  const started = await SipPhone.start({ number, ...options });
  phones.push(started);
  return started;
}

async function persona(
  id: string,
  escalation: PersonaInput['escalation'],
  line: string,
  outboundTrunk?: string,
) {
  await putPersona(stack, {
    ...base,
    id,
    name: id,
    tools: ['transfer_to_human'],
    escalation: { ...base.escalation, ...escalation },
    phone: { ...base.phone, ...(outboundTrunk && { outboundTrunk }) },
  });
  await assignNumber(stack, line, id);
}

before(async () => {
  stack = await testStack();
  base = await personaOf(stack);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-transfer-'));
  askForHuman = await synthesize('I want to speak to a human.', path.join(dir, 'human.wav'));
  hello = await synthesize('Hello, can you hear me?', path.join(dir, 'hello.wav'));
  await admin(stack, '/v1/dial-policy', {
    method: 'PUT',
    body: JSON.stringify({ allowedPrefixes: ['+1555'], maxConcurrentPhoneCalls: 5 }),
  });
});

after(async () => {
  for (const started of phones) await started.stop();
  for (const line of [COLD_LINE, WARM_LINE, UNANSWERED_LINE]) await unassignNumber(stack, line);
  for (const trunk of ['humans-warm', 'humans-unanswered']) await removeOutboundTrunk(stack, trunk);
  await stack.release();
});

test('a cold transfer hands the caller to the persona’s target by SIP REFER', async () => {
  const human = await phone('+15559000001');
  await persona(
    'cold-desk',
    { mode: 'cold', transferTarget: `sip:+15559000001@${human.address}` },
    COLD_LINE,
  );
  const caller = '+15557100001';
  const { phone: callerPhone } = await callIn(stack, caller, COLD_LINE);
  phones.push(callerPhone);
  await settledUtterances(callerPhone);
  await callerPhone.say(askForHuman);
  // The caller's own phone follows the REFER and calls the human directly.
  const answered = await human.waitFor('CALL_ESTABLISHED', 60_000);
  assert.match(String(answered.peeruri ?? ''), /15557100001/, 'the caller itself calls the human');
  const call = await phoneCallOf(stack, caller, (c) => c.status === 'ended');
  assert.equal(call.outcome, 'transferred');
  // The two phones now talk to each other, streaming audio: not beside the next suites.
  await callerPhone.stop();
  await human.stop();
});

test('a warm transfer rings the human, briefs them, then the two hear each other', async () => {
  const target = '+15559000002';
  const human = await phone(target);
  await putOutboundTrunk(stack, 'humans-warm', human.address, [WARM_LINE]);
  await persona('warm-desk', { mode: 'warm', transferTarget: target }, WARM_LINE, 'humans-warm');
  const caller = '+15557100002';
  const { phone: callerPhone } = await callIn(stack, caller, WARM_LINE);
  phones.push(callerPhone);
  await settledUtterances(callerPhone);
  await callerPhone.say(askForHuman);

  await human.waitFor('CALL_ESTABLISHED', 60_000);
  // The briefing: who is calling and why, spoken to the human alone.
  const [briefing] = await heardUtterances(human, 1);
  assert.ok(briefing && briefing.text.length > 0, 'the human hears a briefing');

  await phoneCallOf(stack, caller, (c) =>
    (c.legs ?? []).some((l) => l.kind === 'transfer' && l.status === 'answered'),
  );
  // Then they hear each other: self-hosted livekit-server cannot move participants between
  // rooms, so the agent relays the consultation room and the call's room to each other.
  for (const [speaker, listener] of [
    [callerPhone, human],
    [human, callerPhone],
  ] as const) {
    const before = (await settledUtterances(listener)).length;
    await speaker.say(hello);
    const heard = await heardUtterances(listener, before + 1);
    const words = heard
      .slice(before)
      .map((u) => u.text)
      .join(' ');
    assert.ok(
      heardAs('Hello, can you hear me?', words),
      `${listener.number} hears ${speaker.number}: "${words}"`,
    );
  }

  await callerPhone.hangup();
  const ended = await phoneCallOf(stack, caller, (c) => c.status === 'ended');
  assert.equal(ended.outcome, 'transferred');
});

test('a warm transfer nobody answers comes back to the caller with a callback offer', async () => {
  const target = '+15559000003';
  const human = await phone(target, { incoming: 'ring' });
  await putOutboundTrunk(stack, 'humans-unanswered', human.address, [UNANSWERED_LINE]);
  await persona(
    'unanswered-desk',
    { mode: 'warm', transferTarget: target, ringTimeoutSeconds: 5 },
    UNANSWERED_LINE,
    'humans-unanswered',
  );
  const caller = '+15557100003';
  const { phone: callerPhone } = await callIn(stack, caller, UNANSWERED_LINE);
  phones.push(callerPhone);
  await settledUtterances(callerPhone);
  await callerPhone.say(askForHuman);
  await human.waitFor('CALL_INCOMING', 60_000);
  const spokenIn = (c: StoredPhoneCall) => c.turns.map((t) => t.agentText ?? '').join(' ');
  // The warning and the offer's turn reach the server on separate requests, in either order.
  const call = await phoneCallOf(
    stack,
    caller,
    (c) =>
      (c.warnings ?? []).some((w) => w.code === 'callback_offered') &&
      /call you back/i.test(spokenIn(c)),
  );
  assert.equal(call.status, 'active', 'the agent carries on with the caller');
  assert.match(spokenIn(call), /call you back/i);
});
