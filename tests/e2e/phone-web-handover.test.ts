/**
 * "Continue on my phone": a web visitor's conversation moves to their phone — Parley dials the
 * number into the same room, the agent carries on there with the same context, the browser leg
 * leaves, and the call stays one record with both legs.
 */
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { dispose } from '@livekit/rtc-node';
import type { Persona } from '@parley/contracts';
import { admin, callOfRoom, eventually, openSession, putPersona } from '../support/calls.js';
import { greetedVisitor, type HeadlessVisitor } from '../support/headless-visitor.js';
import {
  heardUtterances,
  livekitClients,
  putOutboundTrunk,
  removeOutboundTrunk,
  type StoredPhoneCall,
} from '../support/phone-calls.js';
import { SipPhone } from '../support/sip-phone.js';
import { personaOf, testStack, type TestStack } from '../support/stack-env.js';
import { heardAs } from '../support/transcribe.js';
import { synthesize } from '../support/wav.js';

const VISITOR_PHONE = '+15558100001';
/** A phone that rings until the test answers it. */
const SLOW_PHONE = '+15558100002';
const OPENING_HOURS = 'What are your opening hours?';

let stack: TestStack;
let base: Persona;
let phone: SipPhone;
let slowPhone: SipPhone;
/** Each test's visitor (a headless visitor joins one room once). */
const visitors: HeadlessVisitor[] = [];

/** A persona any page may embed whose visitors may continue on their phone through `trunk`. */
async function handoverPersona(id: string, name: string, trunk: string) {
  await putPersona(stack, {
    ...base,
    id,
    name,
    allowedOrigins: ['*'],
    phone: { continueOnPhone: true, outboundTrunk: trunk },
  });
}

before(async () => {
  stack = await testStack();
  base = await personaOf(stack);
  await handoverPersona('handover', 'Handover', 'visitors');
  await handoverPersona('handover-slow', 'Handover to a slow phone', 'slow-visitors');
  phone = await SipPhone.start({ number: VISITOR_PHONE });
  slowPhone = await SipPhone.start({ number: SLOW_PHONE, incoming: 'ring' });
  await putOutboundTrunk(stack, 'visitors', phone.address, ['+15550300001']);
  await putOutboundTrunk(stack, 'slow-visitors', slowPhone.address, ['+15550300002']);
  await admin(stack, '/v1/dial-policy', {
    method: 'PUT',
    body: JSON.stringify({ allowedPrefixes: ['+1555'], maxConcurrentPhoneCalls: 5 }),
  });
});

after(async () => {
  for (const visitor of visitors) await visitor.leave();
  await phone.stop();
  await slowPhone.stop();
  await removeOutboundTrunk(stack, 'visitors');
  await removeOutboundTrunk(stack, 'slow-visitors');
  await dispose();
  await stack.release();
});

/** A greeted visitor of `personaId` asks to continue on `to`; the phone starts ringing. */
async function continueOnPhone(personaId: string, to: string) {
  const session = await openSession(stack, personaId);
  const visitor = await greetedVisitor(session, base.greeting, visitors);
  const res = await fetch(`${stack.url}/v1/sessions/phone`, {
    method: 'POST',
    headers: { authorization: `Bearer ${session.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ to }),
  });
  assert.equal(res.status, 202, await res.clone().text());
  return { session, visitor };
}

/** The phone asks about the opening hours and hears the persona's answer. */
async function askOnPhone(on: SipPhone) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-handover-'));
  await on.say(await synthesize(OPENING_HOURS, path.join(dir, 'question.wav')));
  const answer = base.knowledge.find((k) => k.question === OPENING_HOURS)?.answer ?? '';
  const heard = await eventually(
    'the answer on the phone',
    () => heardUtterances(on, 1),
    (utterances) => utterances.some((u) => heardAs(answer, u.text)),
    60_000,
  );
  assert.ok(heard.length > 0);
}

/**
 * The room's call began on the web and holds the phone leg, the turn answered on it, and the
 * browser leg, ended.
 */
async function oneRecordWithBothLegs(roomName: string, phoneNumber: string) {
  const call = await eventually(
    'one record with both legs and the turn answered on the phone',
    async () =>
      admin<StoredPhoneCall>(stack, `/v1/calls/${(await callOfRoom(stack, roomName)).id}`),
    // The turn is appended once its reply has played out, which can be after the leg is recorded.
    (c) =>
      (c.legs ?? []).some((l) => l.kind === 'phone' && l.phoneNumber === phoneNumber) &&
      (c.legs ?? []).some((l) => l.kind === 'web' && l.endedAt) &&
      c.turns.some((t) => t.agentText?.includes('Monday to Friday')),
    30_000,
  );
  assert.equal(call.channel, 'web', 'the call began on the web');
  assert.ok(
    call.turns.some((t) => t.agentText?.includes('Monday to Friday')),
    'the phone leg’s turns are stored on the same record',
  );
}

test('a web visitor continues on their phone: same room, same agent, one record with both legs', async () => {
  const { session, visitor } = await continueOnPhone('handover', VISITOR_PHONE);
  await phone.waitFor('CALL_ESTABLISHED', 30_000);
  // The widget leaves once it sees the phone in; the headless visitor leaves as soon as the
  // phone has answered, which can be before the agent has seen it.
  await visitor.leave();
  await askOnPhone(phone);

  await oneRecordWithBothLegs(session.roomName, VISITOR_PHONE);
  await phone.hangup();
});

test('a visitor who closes the page while their phone rings is carried on there when they pick up', async () => {
  const { session, visitor } = await continueOnPhone('handover-slow', SLOW_PHONE);
  await slowPhone.waitFor('CALL_INCOMING', 30_000);
  await visitor.leave();
  const { rooms } = livekitClients(stack);
  await eventually(
    'the browser leaving the room',
    () => rooms.listParticipants(session.roomName),
    (list) => !list.some((p) => p.identity === session.identity),
    15_000,
  );
  await slowPhone.answer();
  await askOnPhone(slowPhone);
  await oneRecordWithBothLegs(session.roomName, SLOW_PHONE);
  await slowPhone.hangup();
});
