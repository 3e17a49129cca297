/**
 * A web visitor handed to a person on the phone: the same warm transfer as a phone caller's —
 * Parley rings the persona's target (a real SIP phone), the agent briefs them, then the visitor
 * and the person hear each other.
 */
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { dispose } from '@livekit/rtc-node';
import type { Persona } from '@parley/contracts';
import { admin, callOfRoom, eventually, openSession, putPersona } from '../support/calls.js';
import { HeadlessVisitor } from '../support/headless-visitor.js';
import {
  heardUtterances,
  putOutboundTrunk,
  removeOutboundTrunk,
  settledUtterances,
  type StoredPhoneCall,
} from '../support/phone-calls.js';
import { SipPhone } from '../support/sip-phone.js';
import { personaOf, testStack, type TestStack } from '../support/stack-env.js';
import { heardAs } from '../support/transcribe.js';
import { padWithSilence, synthesize, type Pcm } from '../support/wav.js';

const TARGET = '+15559000004';
const HELLO = 'Hello, can you hear me?';

let stack: TestStack;
let base: Persona;
let human: SipPhone;
let askForHuman: Pcm;
let hello: Pcm;
const visitor = new HeadlessVisitor();

before(async () => {
  stack = await testStack();
  base = await personaOf(stack);
  human = await SipPhone.start({ number: TARGET });
  await putOutboundTrunk(stack, 'humans-web', human.address, ['+15550200004']);
  await admin(stack, '/v1/dial-policy', {
    method: 'PUT',
    body: JSON.stringify({ allowedPrefixes: ['+1555'], maxConcurrentPhoneCalls: 5 }),
  });
  await putPersona(stack, {
    ...base,
    id: 'web-warm',
    name: 'Web warm',
    allowedOrigins: ['*'],
    tools: ['transfer_to_human'],
    escalation: { ...base.escalation, mode: 'warm', transferTarget: TARGET },
    phone: { ...base.phone, outboundTrunk: 'humans-web' },
  });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-web-transfer-'));
  askForHuman = await synthesize('I want to speak to a human.', path.join(dir, 'human.wav'));
  hello = await synthesize(HELLO, path.join(dir, 'hello.wav'));
});

after(async () => {
  await visitor.leave();
  await human.stop();
  await removeOutboundTrunk(stack, 'humans-web');
  await dispose();
  await stack.release();
});

test('a web visitor who asks for a person is warm-transferred to a phone, and the two hear each other', async () => {
  const session = await openSession(stack, 'web-warm');
  await visitor.join(session);
  await visitor.publishMicrophone(askForHuman.sampleRate);
  await visitor.waitUntil(
    'the greeting, then listening',
    () => visitor.transcript('agent').includes(base.greeting) && visitor.agentState === 'listening',
    60_000,
  );
  await visitor.speak(padWithSilence(askForHuman, 0.3, 1.5));

  await human.waitFor('CALL_ESTABLISHED', 60_000);
  const [briefing] = await heardUtterances(human, 1);
  assert.ok(briefing && briefing.text.length > 0, 'the person hears a briefing');

  // The visitor's voice reaches the person…
  const before = (await settledUtterances(human)).length;
  await visitor.speak(padWithSilence(hello, 0.3, 1.5));
  const heard = await heardUtterances(human, before + 1);
  const words = heard
    .slice(before)
    .map((u) => u.text)
    .join(' ');
  assert.ok(heardAs(HELLO, words), `the person hears the visitor: "${words}"`);

  // …and the person's voice reaches the visitor, while the agent says nothing.
  const agentSaid = visitor.transcript('agent');
  const soundBefore = visitor.agentSoundMs;
  await human.say(hello);
  await visitor.waitUntil(
    'the person’s voice in the visitor’s room',
    () => visitor.agentSoundMs - soundBefore > 800,
    30_000,
  );
  assert.equal(visitor.transcript('agent'), agentSaid, 'what the visitor heard was not the agent');

  const call = await eventually(
    'the transfer leg, answered',
    async () =>
      admin<StoredPhoneCall>(stack, `/v1/calls/${(await callOfRoom(stack, session.roomName)).id}`),
    (c) => (c.legs ?? []).some((l) => l.kind === 'transfer' && l.status === 'answered'),
    30_000,
  );
  assert.equal(call.channel, 'web');
});
