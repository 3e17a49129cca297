/**
 * Scheduled calls end to end, on the real clock: a call scheduled through the API rings a real
 * SIP phone (baresip) at its time and not before, a cancelled one never does, and an appointment
 * reminder rings before its appointment while the reminder of a cancelled appointment never does.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Appointment, Call, PersonaInput, ScheduledCall } from '@parley/contracts';
import { admin, eventually, putPersona } from '../support/calls.js';
import { callsAnyTime, putOutboundTrunk, removeOutboundTrunk } from '../support/phone-calls.js';
import { SipPhone } from '../support/sip-phone.js';
import { personaOf, testStack, type TestStack } from '../support/stack-env.js';

const CALLER_ID = '+15550100039';
const SCHEDULED = '+15558300001';
const CANCELLED = '+15558300002';
const REMINDED = '+15558300003';
const NOT_REMINDED = '+15558300004';
const TRUNK = 'scheduled-pbx';

let stack: TestStack;
let pbx: SipPhone;

before(async () => {
  stack = await testStack();
  const persona = await personaOf(stack);
  const reminding: PersonaInput = {
    ...callsAnyTime(persona, 'reminding'),
    // open all day, every day, so a booking a few minutes ahead is inside business hours
    businessHours: {
      timeZone: 'UTC',
      weekly: (['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const).map((day) => ({
        day,
        open: '00:00',
        close: '23:59',
      })),
      appointmentMinutes: 5,
    },
    phone: { appointmentReminders: { enabled: true, minutesBefore: [5] } },
  };
  await putPersona(stack, reminding);
  await admin(stack, '/v1/dial-policy', {
    method: 'PUT',
    body: JSON.stringify({ allowedPrefixes: ['+1555'], maxConcurrentPhoneCalls: 5 }),
  });
  // Every line rings without answering: what counts is that (and when) it rang.
  pbx = await SipPhone.start({
    number: SCHEDULED,
    incoming: 'ring',
    extensions: [CANCELLED, REMINDED, NOT_REMINDED].map((number) => ({
      number,
      incoming: 'ring' as const,
    })),
  });
  await putOutboundTrunk(stack, TRUNK, pbx.address, [CALLER_ID]);
});

after(async () => {
  await pbx?.stop();
  await removeOutboundTrunk(stack, TRUNK);
  await stack.release();
});

/** When the PBX first rang for `number`, if it did. */
const rangAt = (number: string) => pbx.eventsOf(number).find((e) => e.type === 'CALL_INCOMING')?.at;

const schedule = (to: string, at: Date) =>
  admin<ScheduledCall>(stack, '/v1/scheduled-calls', {
    method: 'POST',
    body: JSON.stringify({
      persona: 'reminding',
      to,
      at: at.toISOString(),
      trunk: TRUNK,
      ringTimeoutSeconds: 5,
    }),
  });

test('a call scheduled through the API rings at its time, not before; a cancelled one never rings', async () => {
  const at = new Date(Date.now() + 6_000);
  const due = await schedule(SCHEDULED, at);
  const cancelled = await schedule(CANCELLED, at);
  await admin(stack, `/v1/scheduled-calls/${cancelled.id}`, { method: 'DELETE' });
  await pbx.waitFor('CALL_INCOMING', 30_000);
  const rang = rangAt(SCHEDULED);
  assert.ok(rang !== undefined, 'the scheduled line rang');
  assert.ok(rang >= at.getTime(), `rang ${at.getTime() - rang} ms before its time`);
  assert.ok(rang < at.getTime() + 5_000, `rang ${rang - at.getTime()} ms after its time`);
  const placed = await eventually(
    'the scheduled call placed',
    () => scheduledCall(due.id),
    (s) => s.status === 'placed',
    10_000,
  );
  assert.ok(placed.callId, 'linked to its call record');
  // a few rounds more: the cancelled one stays silent, the placed one is not dialled again
  await new Promise((resolve) => setTimeout(resolve, 4_000));
  assert.equal(rangAt(CANCELLED), undefined, 'the cancelled call never rang');
  assert.equal(
    pbx.eventsOf(SCHEDULED).filter((e) => e.type === 'CALL_INCOMING').length,
    1,
    'dialled once',
  );
});

async function scheduledCall(id: string): Promise<ScheduledCall> {
  const { data } = await admin<{ data: ScheduledCall[] }>(stack, '/v1/scheduled-calls');
  const found = data.find((s) => s.id === id);
  assert.ok(found, `scheduled call ${id} listed`);
  return found;
}

/** Books an appointment the way the agent's tool does, in a call of its own. */
async function book(startsAt: Date, phone: string): Promise<Appointment> {
  const agent = { authorization: `Bearer ${stack.secrets.agentKey}` };
  const call = await admin<Call>(stack, '/internal/calls', {
    method: 'POST',
    headers: agent,
    body: JSON.stringify({
      personaId: 'reminding',
      channel: 'web',
      roomName: `booking-${Math.random().toString(36).slice(2)}`,
    }),
  });
  const appointment = await admin<Appointment>(stack, `/internal/calls/${call.id}/appointments`, {
    method: 'POST',
    headers: agent,
    body: JSON.stringify({
      key: 'reminder-suite',
      appointment: { startsAt: startsAt.toISOString(), name: 'Ada', phone },
    }),
  });
  await admin(stack, `/internal/calls/${call.id}/close`, {
    method: 'POST',
    headers: agent,
    body: JSON.stringify({ outcome: 'completed' }),
  });
  return appointment;
}

test('an appointment reminder rings five minutes before its appointment; the reminder of a cancelled appointment never rings', async () => {
  // the next whole minute at least 5 min 8 s ahead: the reminder is due in 8–68 s
  const startsAt = new Date(Math.ceil((Date.now() + 5 * 60_000 + 8_000) / 60_000) * 60_000);
  const kept = await book(startsAt, REMINDED);
  const dropped = await book(new Date(startsAt.getTime() + 5 * 60_000), NOT_REMINDED);
  await admin(stack, `/v1/appointments/${dropped.id}/cancel`, { method: 'POST' });
  const reminderAt = startsAt.getTime() - 5 * 60_000;
  await eventually(
    'the reminder ringing',
    async () => rangAt(REMINDED),
    (at) => at !== undefined,
    90_000,
  );
  const rang = rangAt(REMINDED) as number;
  assert.ok(rang >= reminderAt, `rang ${reminderAt - rang} ms before the reminder was due`);
  assert.ok(rang < startsAt.getTime(), 'before the appointment');
  const reminders = (await admin<{ data: ScheduledCall[] }>(stack, '/v1/scheduled-calls')).data;
  const ofKept = reminders.filter((r) => r.appointmentId === kept.id);
  assert.deepEqual(
    ofKept.map((r) => [r.kind, r.status]),
    [['reminder', 'placed']],
  );
  const ofDropped = reminders.filter((r) => r.appointmentId === dropped.id);
  assert.deepEqual(
    ofDropped.map((r) => r.status),
    ['cancelled'],
  );
  // its time (five minutes after the kept one's) is not waited for: it is cancelled, and the
  // scheduler only dials what is `scheduled`
  assert.equal(rangAt(NOT_REMINDED), undefined);
});
