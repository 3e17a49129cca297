import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Appointment, Call, PersonaInput, ScheduledCall } from '@parley/contracts';
import { asAdmin, asAgent, request, startTestApp, type TestApp } from '../../test/test-app.js';
import { EVERY_DAY_NINE_TO_FIVE_UTC, utcDayAt } from '../../test/booking-fixtures.js';
import { OutboundPhone } from '../phone/outbound/outbound-phone.js';
import { ScriptedPhoneDialer } from '../phone/outbound/scripted-phone-dialer.js';
import { OutboundScheduler } from './outbound-scheduler.js';

let app: TestApp;

const persona = (id: string, reminders: boolean): PersonaInput => ({
  id,
  name: id,
  greeting: 'Hi',
  instructions: '',
  businessHours: EVERY_DAY_NINE_TO_FIVE_UTC,
  phone: { appointmentReminders: { enabled: reminders } },
});

before(async () => {
  app = await startTestApp();
  await app.tenant.personas.create(persona('reminding', true));
  await app.tenant.personas.create(persona('silent', false));
  await app.tenant.dialRules.setPolicy({ allowedPrefixes: ['+1'], maxConcurrentPhoneCalls: 5 });
  await app.tenant.outboundTrunks.put({
    name: 'main',
    address: 'sip.example:5060',
    numbers: ['+15550000001'],
    transport: 'udp',
    trunkId: 'ST_1',
  });
});
after(() => app.stop());

async function bookIn(personaId: string, startsAt: Date, phone?: string): Promise<Appointment> {
  const call = await request<Call>(
    `${app.url}/internal/calls`,
    'POST',
    {
      personaId,
      channel: 'phone',
      direction: 'inbound',
      roomName: `phone-_${Math.random().toString(36).slice(2)}`,
      caller: { phoneNumber: '+14155550199' },
    },
    asAgent,
  );
  assert.equal(call.status, 201, JSON.stringify(call.body));
  const booked = await request<Appointment>(
    `${app.url}/internal/calls/${call.body.id}/appointments`,
    'POST',
    { key: 'k1', appointment: { startsAt: startsAt.toISOString(), name: 'Ada', phone } },
    asAgent,
  );
  assert.equal(booked.status, 201, JSON.stringify(booked.body));
  // the booking call is over: it no longer counts against the tenant's phone calls
  await app.tenant.calls.close(call.body.id, { outcome: 'completed' });
  return booked.body;
}

const remindersOf = async (appointmentId: string): Promise<ScheduledCall[]> =>
  (await app.tenant.scheduledCalls.list()).filter((s) => s.appointmentId === appointmentId);

describe('appointment reminders', () => {
  test('a persona that enables them schedules a call 24 h and 1 h before each booking, to the number the booking gave', async () => {
    const startsAt = utcDayAt(3, 10);
    const appointment = await bookIn('reminding', startsAt, '+1 (415) 555-0100');
    const reminders = await remindersOf(appointment.id);
    assert.deepEqual(
      reminders.map((r) => [
        r.kind,
        r.to,
        r.status,
        Date.parse(startsAt.toISOString()) - Date.parse(r.at),
      ]),
      [
        ['reminder', '+14155550100', 'scheduled', 24 * 3600_000],
        ['reminder', '+14155550100', 'scheduled', 3600_000],
      ],
    );
    assert.equal(reminders[0]?.variables.appointment_name, 'Ada');
    assert.match(String(reminders[0]?.variables.appointment_time), /at 10:00$/);
    const sent = await app.tenant.webhooks.listDeliveries();
    assert.equal(sent.length, 0, 'no endpoint is subscribed: nothing queued');
  });

  test('without a number of its own the booking is reminded at the caller’s; a reminder already past is not scheduled', async () => {
    const soon = new Date(Date.now() + 2 * 3600_000);
    soon.setUTCMinutes(0, 0, 0);
    const startsAt = soon.getUTCHours() >= 9 && soon.getUTCHours() < 17 ? soon : utcDayAt(1, 9);
    const appointment = await bookIn('reminding', startsAt);
    const reminders = await remindersOf(appointment.id);
    const expected = [60, 24 * 60].filter((m) => startsAt.getTime() - m * 60_000 > Date.now());
    assert.equal(reminders.length, expected.length);
    for (const reminder of reminders) assert.equal(reminder.to, '+14155550199');
  });

  test('a persona that does not enable them schedules none', async () => {
    const appointment = await bookIn('silent', utcDayAt(3, 11), '+14155550100');
    assert.deepEqual(await remindersOf(appointment.id), []);
  });

  test('a reminder fires before its appointment, and not after the appointment was cancelled', async () => {
    const kept = await bookIn('reminding', utcDayAt(4, 10), '+14155550101');
    const cancelled = await bookIn('reminding', utcDayAt(4, 11), '+14155550102');
    const res = await request<Appointment>(
      `${app.url}/v1/appointments/${cancelled.id}/cancel`,
      'POST',
      undefined,
      asAdmin,
    );
    assert.equal(res.body.status, 'cancelled');
    assert.deepEqual(
      (await remindersOf(cancelled.id)).map((r) => r.status),
      ['cancelled', 'cancelled'],
    );

    const dialer = new ScriptedPhoneDialer();
    // an hour before the later (cancelled) appointment's reminder: both would be due
    const clock = { now: new Date(utcDayAt(4, 10).getTime() - 30 * 60_000) };
    const scheduler = new OutboundScheduler({
      tenantsWithWork: (now) => app.storage.tenantsWithOutboundWork(now),
      tenant: (id) => app.storage.forTenant(id),
      tenantHint: () => undefined,
      outbound: new OutboundPhone({ dialer, now: () => clock.now }),
      now: () => clock.now,
    });
    await scheduler.tick();
    await scheduler.tick();
    // (the earlier tests' reminders are due by then too)
    const dialled = (to: string) => dialer.dials.filter((d) => d.to === to).length;
    assert.equal(dialled('+14155550101'), 2, 'the 24 h reminder (overdue) and the 1 h one');
    assert.equal(dialled('+14155550102'), 0, 'none for the cancelled appointment');
    const placed = await remindersOf(kept.id);
    assert.deepEqual(
      placed.map((r) => r.status),
      ['placed', 'placed'],
    );
    const reminded = dialer.dials.findIndex((d) => d.to === '+14155550101');
    assert.equal(dialer.dispatches[reminded]?.metadata.variables.appointment_name, 'Ada');
  });
});
