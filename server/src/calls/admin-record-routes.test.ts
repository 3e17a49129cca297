import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Appointment, Lead, PhoneNumber, SecretSummary } from '@parley/contracts';
import { asAdmin, asAgent, request, startTestApp, type TestApp } from '../../test/test-app.js';
import type { Call, Page } from '@parley/contracts';
import type { CallRecord } from '@parley/contracts';

let app: TestApp;
let call: Call;

const admin = <T>(method: string, path: string, body?: unknown) =>
  request<T>(`${app.url}${path}`, method, body, asAdmin);
const errorCode = (body: unknown) => (body as { error: { code: string } }).error.code;

before(async () => {
  app = await startTestApp();
  call = await app.tenant.calls.create({ personaId: 'default', channel: 'web', roomName: 'web_a' });
});
after(() => app.stop());

describe('leads', () => {
  test('when leads are listed with filters and pages, then each lead appears once where it belongs', async () => {
    const hot = await app.tenant.leads.capture(call.id, 'k1', { name: 'Ada', temperature: 'hot' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const cold = await app.tenant.leads.create({ name: 'Bob', temperature: 'cold' });

    const first = await admin<Page<Lead>>('GET', '/v1/leads?limit=1');
    const second = await admin<Page<Lead>>(
      'GET',
      `/v1/leads?limit=1&cursor=${first.body.nextCursor}`,
    );
    const hotOnly = await admin<Page<Lead>>('GET', '/v1/leads?temperature=hot');
    const since = await admin<Page<Lead>>(
      'GET',
      `/v1/leads?from=${encodeURIComponent(cold.createdAt)}`,
    );

    assert.deepEqual(first.body.items, [cold]);
    assert.deepEqual(second.body, { items: [hot.lead] });
    assert.deepEqual(hotOnly.body.items, [hot.lead]);
    assert.deepEqual(since.body.items, [cold]);
    assert.deepEqual((await admin('GET', `/v1/leads/${cold.id}`)).body, cold);
    const missing = await admin('GET', '/v1/leads/lead_nope');
    const badFilter = await admin('GET', '/v1/leads?temperature=lukewarm');
    assert.deepEqual([missing.status, badFilter.status], [404, 400]);
  });
});

describe('appointments', () => {
  test('when an appointment is cancelled, then the status filter and the record say so', async () => {
    const kept = await app.tenant.appointments.book({
      startsAt: '2030-03-01T10:00:00.000Z',
      endsAt: '2030-03-01T10:30:00.000Z',
      name: 'Ada',
      callId: call.id,
    });
    const dropped = await app.tenant.appointments.book({
      startsAt: '2030-03-02T10:00:00.000Z',
      endsAt: '2030-03-02T10:30:00.000Z',
      name: 'Bob',
    });
    const cancelled = await admin<Appointment>('POST', `/v1/appointments/${dropped.id}/cancel`);
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.body.status, 'cancelled');

    const ids = async (query: string) =>
      (await admin<{ data: Appointment[] }>('GET', `/v1/appointments${query}`)).body.data.map(
        (a) => a.id,
      );
    assert.deepEqual(await ids(''), [kept.id, dropped.id]);
    assert.deepEqual(await ids('?status=booked'), [kept.id]);
    assert.deepEqual(await ids('?status=cancelled'), [dropped.id]);
    assert.deepEqual(await ids('?from=2030-03-02T00:00:00Z'), [dropped.id]);
    assert.deepEqual(await ids('?to=2030-03-02T00:00:00Z'), [kept.id]);
    assert.equal(
      (await admin<Appointment>('GET', `/v1/appointments/${dropped.id}`)).body.status,
      'cancelled',
    );
    assert.equal((await admin('GET', '/v1/appointments/apt_nope')).status, 404);
    assert.equal((await admin('POST', '/v1/appointments/apt_nope/cancel')).status, 404);
  });
});

describe('phone numbers', () => {
  test('a number is pointed at a persona, listed, re-pointed and removed', async () => {
    await app.tenant.personas.create({ id: 'sales', name: 'S', greeting: 'Hi', instructions: '' });
    const put = (e164: string, body: unknown) =>
      admin<PhoneNumber>('PUT', `/v1/phone-numbers/${encodeURIComponent(e164)}`, body);

    const assigned = await put('+14155550123', { personaId: 'default', label: 'main' });
    const moved = await put('+14155550123', { personaId: 'sales' });
    const list = await admin<{ data: PhoneNumber[] }>('GET', '/v1/phone-numbers');
    const unknownPersona = await put('+14155550124', { personaId: 'ghost' });
    const badNumber = await put('555-0123', { personaId: 'sales' });

    assert.deepEqual([assigned.status, assigned.body.label], [200, 'main']);
    assert.equal(moved.body.personaId, 'sales');
    assert.deepEqual(
      list.body.data.map((n) => [n.e164, n.personaId]),
      [['+14155550123', 'sales']],
    );
    assert.deepEqual(
      [unknownPersona.status, errorCode(unknownPersona.body), badNumber.status],
      [404, 'persona_not_found', 400],
    );
    assert.equal((await admin('DELETE', '/v1/phone-numbers/%2B14155550123')).status, 204);
    assert.equal((await admin('DELETE', '/v1/phone-numbers/%2B14155550123')).status, 404);
    assert.deepEqual((await admin<{ data: unknown[] }>('GET', '/v1/phone-numbers')).body.data, []);
  });
});

describe('secrets', () => {
  test('a stored secret is listed by name only and never answered', async () => {
    const value = 'sk_live_do_not_show_0123456789';
    const put = await admin('PUT', '/v1/secrets/CRM_TOKEN', { value });
    const list = await fetch(`${app.url}/v1/secrets`, { headers: asAdmin });
    const listText = await list.text();

    assert.equal(put.status, 204);
    assert.equal(listText.includes(value), false);
    const { data } = JSON.parse(listText) as { data: SecretSummary[] };
    assert.deepEqual(
      data.map((s) => s.name),
      ['CRM_TOKEN'],
    );
    assert.equal(await app.tenant.secrets.reveal('CRM_TOKEN'), value);
    const badName = await admin('PUT', '/v1/secrets/not%20valid', { value });
    const noValue = await admin('PUT', '/v1/secrets/OTHER', {});
    const asTheAgent = await request(`${app.url}/v1/secrets`, 'GET', undefined, asAgent);
    assert.deepEqual([badName.status, noValue.status, asTheAgent.status], [400, 400, 401]);
    assert.equal((await admin('DELETE', '/v1/secrets/CRM_TOKEN')).status, 204);
    assert.equal((await admin('DELETE', '/v1/secrets/CRM_TOKEN')).status, 404);
  });
});

describe('GET /v1/calls/:id', () => {
  test('the call record lists its participant events, leads and appointments', async () => {
    const own = await app.tenant.calls.create({
      personaId: 'default',
      channel: 'phone',
      roomName: 'sip_b',
    });
    await app.tenant.callEvents.record({
      eventId: 'EV_1',
      roomName: 'sip_b',
      type: 'participant_joined',
      identity: 'sip_+14155550100',
      kind: 'sip',
      at: '2030-01-01T09:00:00.000Z',
    });
    const { lead } = await app.tenant.leads.capture(own.id, 'k', { name: 'Cy' });
    const appointment = await app.tenant.appointments.book({
      startsAt: '2030-04-01T10:00:00.000Z',
      endsAt: '2030-04-01T10:30:00.000Z',
      name: 'Cy',
      callId: own.id,
    });

    const detail = await admin<CallRecord>('GET', `/v1/calls/${own.id}`);
    assert.equal(detail.status, 200);
    assert.deepEqual(detail.body.events, [
      {
        type: 'participant_joined',
        identity: 'sip_+14155550100',
        kind: 'sip',
        at: '2030-01-01T09:00:00.000Z',
      },
    ]);
    assert.deepEqual(detail.body.leads, [lead]);
    assert.deepEqual(detail.body.appointments, [appointment]);
    assert.deepEqual(detail.body.turns, []);
  });
});
