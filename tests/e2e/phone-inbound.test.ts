/**
 * Inbound phone calls end to end: a real SIP phone (baresip) calls a number assigned to a persona
 * through livekit-sip and livekit-server, talks to the agent, and hangs up; the suites then read
 * what the phone heard (transcribed offline) and what Parley stored.
 */
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Persona } from '@parley/contracts';
import { putPersona } from '../support/calls.js';
import {
  assignNumber,
  callIn,
  heardGreeting,
  heardUtterances,
  phoneCallOf,
  settledUtterances,
  type StoredPhoneCall,
  unassignNumber,
} from '../support/phone-calls.js';
import { personaOf, testStack, type TestStack } from '../support/stack-env.js';
import { heardAs } from '../support/transcribe.js';
import { synthesize, type Pcm } from '../support/wav.js';

/** Numbers of this suite: the persona's line, and one caller per test. */
const LINE = '+15550100001';
const DESK_LINE = '+15550100002';

let stack: TestStack;
let persona: Persona;
let question: Pcm;

before(async () => {
  stack = await testStack();
  persona = await personaOf(stack);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-phone-'));
  question = await synthesize('What are your opening hours?', path.join(dir, 'question.wav'));
  await assignNumber(stack, LINE, 'default');
});

after(async () => {
  await unassignNumber(stack, LINE);
  await unassignNumber(stack, DESK_LINE);
  await stack.release();
});

const OPENING_HOURS = 'What are your opening hours?';

test('a caller hears the greeting, asks by voice, hears the answer, and the call is stored as a phone call', async () => {
  const caller = '+15557000001';
  const { phone, answerMs } = await callIn(stack, caller, LINE);
  try {
    console.log(`# INVITE → 200 OK: ${answerMs} ms`);
    const greeting = await heardGreeting(phone, persona.greeting);
    assert.ok(
      heardAs(persona.greeting, greeting.text),
      `the greeting is heard: "${greeting.text}"`,
    );
    await phone.say(question);
    const answer = persona.knowledge.find((k) => k.question === OPENING_HOURS)?.answer ?? '';
    assert.ok(answer, 'the default persona knows its opening hours');
    await heardUtterances(phone, greeting.utterances + 1);
    const heard = await settledUtterances(phone);
    const reply = heard
      .slice(greeting.utterances)
      .map((u) => u.text)
      .join(' ');
    assert.ok(heardAs(answer, reply), `the answer is heard: "${reply}"`);
  } finally {
    await phone.stop();
  }
  const call = await phoneCallOf(stack, caller, (c) => c.status === 'ended');
  assert.equal(call.channel, 'phone');
  assert.equal(call.caller.phoneNumber, caller);
  assert.equal(call.direction, 'inbound');
  assert.ok(
    call.turns.some((t) => t.agentText?.includes('Monday to Friday')),
    `the answer is stored: ${JSON.stringify(call.turns.map((t) => t.agentText))}`,
  );
});

test('a keypad menu key reaches the agent as its intent, and the digits are stored with the turn', async () => {
  await putPersona(stack, {
    ...persona,
    id: 'phone-desk',
    name: 'Phone desk',
    phone: { dtmfMenu: [{ digit: '1', intent: OPENING_HOURS }] },
  });
  await assignNumber(stack, DESK_LINE, 'phone-desk');
  const caller = '+15557000002';
  const { phone } = await callIn(stack, caller, DESK_LINE);
  try {
    await settledUtterances(phone);
    await phone.sendDigits('1');
    // The key's turn, and the agent's answer to its intent (in that turn or the next).
    const answered = (c: StoredPhoneCall) => {
      const at = c.turns.findIndex((t) => t.dtmf === '1');
      return at >= 0 && c.turns.slice(at).some((t) => /Monday to Friday/.test(t.agentText ?? ''));
    };
    const call = await phoneCallOf(stack, caller, answered);
    assert.equal(call.turns.filter((t) => t.dtmf !== undefined).length, 1, 'one keyed turn');
  } finally {
    await phone.stop();
  }
});

test('a PCMU (8 kHz) caller is still served, and the call carries a narrowband warning', async () => {
  const caller = '+15557000003';
  const { phone } = await callIn(stack, caller, LINE, { codec: 'PCMU' });
  try {
    await settledUtterances(phone);
    await phone.say(question);
    const call = await phoneCallOf(stack, caller, (c) =>
      (c.warnings ?? []).some((w) => w.code === 'narrowband_audio'),
    );
    assert.equal(call.channel, 'phone');
  } finally {
    await phone.stop();
  }
});
