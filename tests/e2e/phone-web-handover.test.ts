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
import { HeadlessVisitor } from '../support/headless-visitor.js';
import {
  heardUtterances,
  putOutboundTrunk,
  removeOutboundTrunk,
  type StoredPhoneCall,
} from '../support/phone-calls.js';
import { SipPhone } from '../support/sip-phone.js';
import { personaOf, testStack, type TestStack } from '../support/stack-env.js';
import { heardAs } from '../support/transcribe.js';
import { synthesize } from '../support/wav.js';

const VISITOR_PHONE = '+15558100001';
const OPENING_HOURS = 'What are your opening hours?';

let stack: TestStack;
let base: Persona;
let phone: SipPhone;
const visitor = new HeadlessVisitor();

before(async () => {
  stack = await testStack();
  base = await personaOf(stack);
  await putPersona(stack, {
    ...base,
    id: 'handover',
    name: 'Handover',
    allowedOrigins: ['*'],
    phone: { continueOnPhone: true, outboundTrunk: 'visitors' },
  });
  phone = await SipPhone.start({ number: VISITOR_PHONE });
  await putOutboundTrunk(stack, 'visitors', phone.address, ['+15550300001']);
  await admin(stack, '/v1/dial-policy', {
    method: 'PUT',
    body: JSON.stringify({ allowedPrefixes: ['+1555'], maxConcurrentPhoneCalls: 5 }),
  });
});

after(async () => {
  await visitor.leave();
  await phone.stop();
  await removeOutboundTrunk(stack, 'visitors');
  await dispose();
  await stack.release();
});

test('a web visitor continues on their phone: same room, same agent, one record with both legs', async () => {
  const session = await openSession(stack, 'handover');
  await visitor.join(session);
  await visitor.publishMicrophone(16_000);
  await visitor.waitUntil(
    'the greeting',
    () => visitor.transcript('agent').includes(base.greeting),
    60_000,
  );

  const res = await fetch(`${stack.url}/v1/sessions/phone`, {
    method: 'POST',
    headers: { authorization: `Bearer ${session.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ to: VISITOR_PHONE }),
  });
  assert.equal(res.status, 202, await res.clone().text());
  await phone.waitFor('CALL_ESTABLISHED', 30_000);
  // The widget leaves once the phone is in; the headless visitor does the same.
  await visitor.leave();

  const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-handover-'));
  await phone.say(await synthesize(OPENING_HOURS, path.join(dir, 'question.wav')));
  const answer = base.knowledge.find((k) => k.question === OPENING_HOURS)?.answer ?? '';
  const heard = await eventually(
    'the answer on the phone',
    () => heardUtterances(phone, 1),
    (utterances) => utterances.some((u) => heardAs(answer, u.text)),
    60_000,
  );
  assert.ok(heard.length > 0);

  const call = await eventually(
    'one record with the phone leg and its answered turn',
    async () =>
      admin<StoredPhoneCall>(stack, `/v1/calls/${(await callOfRoom(stack, session.roomName)).id}`),
    // The turn is appended once its reply has played out, which can be after the leg is recorded.
    (c) =>
      (c.legs ?? []).some((l) => l.kind === 'phone' && l.phoneNumber === VISITOR_PHONE) &&
      c.turns.some((t) => t.agentText?.includes('Monday to Friday')),
    30_000,
  );
  assert.equal(call.channel, 'web', 'the call began on the web');
  assert.ok(
    call.turns.some((t) => t.agentText?.includes('Monday to Friday')),
    'the phone leg’s turns are stored on the same record',
  );
  await phone.hangup();
});
