import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Call, DoNotCallEntry, ScheduledCallback } from '@parley/contracts';
import { asAdmin, asAgent, request, startTestApp, type TestApp } from '../../../test/test-app.js';
import { EVERY_DAY_NINE_TO_FIVE_UTC, utcDayAt } from '../../../test/booking-fixtures.js';

let app: TestApp;

/** The persona's line: phone callers dial it, and the trunk presents it. */
const LINE = '+15550009999';

const post = <T>(path: string, body?: unknown) =>
  request<T>(`${app.url}${path}`, 'POST', body, asAgent);
const errorOf = (body: unknown) => (body as { error: { code: string; message: string } }).error;

async function phoneCall(caller: string, personaId = 'desk'): Promise<Call> {
  const roomName = `phone-${Math.random().toString(36).slice(2)}`;
  const res = await post<Call>('/internal/calls', {
    personaId,
    channel: 'phone',
    roomName,
    participantIdentity: `sip_${caller.slice(1)}`,
    caller: { phoneNumber: caller },
    dialedNumber: LINE,
    variables: { plan: 'pro' },
  });
  assert.equal(res.status, 201);
  return res.body;
}

async function webCall(): Promise<Call> {
  const roomName = `web-${Math.random().toString(36).slice(2)}`;
  const res = await post<Call>('/internal/calls', { personaId: 'desk', channel: 'web', roomName });
  assert.equal(res.status, 201);
  return res.body;
}

before(async () => {
  app = await startTestApp();
  await app.tenant.personas.create({
    id: 'desk',
    name: 'Desk',
    greeting: 'Hi',
    instructions: '',
    businessHours: EVERY_DAY_NINE_TO_FIVE_UTC,
  });
  await app.tenant.personas.create({
    id: 'elsewhere',
    name: 'Elsewhere',
    greeting: 'Hi',
    instructions: '',
    phone: { outboundTrunk: 'gone' },
  });
  await app.tenant.dialRules.setPolicy({ allowedPrefixes: ['+1555'], maxConcurrentPhoneCalls: 5 });
  await app.tenant.outboundTrunks.put({
    name: 'carrier',
    address: '127.0.0.1:5099',
    numbers: [LINE],
    transport: 'udp',
    trunkId: 'ST_carrier',
  });
  await app.tenant.webhooks.createEndpoint({
    url: 'https://hooks.example/parley',
    events: ['call.scheduled'],
  });
});
after(() => app.stop());

describe('POST /internal/calls/:id/opt-out', () => {
  test("when a phone caller opts out, then the call's own number is on the do-not-call list, once however often asked", async () => {
    const call = await phoneCall('+15551230001');
    const first = await post<DoNotCallEntry>(`/internal/calls/${call.id}/opt-out`);
    const again = await post<DoNotCallEntry>(`/internal/calls/${call.id}/opt-out`, {
      e164: '+15559999999',
    });
    assert.deepEqual([first.status, again.status], [200, 200]);
    assert.equal(first.body.e164, '+15551230001');
    assert.equal(first.body.reason, `asked not to be called again on call ${call.id}`);
    const listed = await request<{ data: DoNotCallEntry[] }>(
      `${app.url}/v1/do-not-call`,
      'GET',
      undefined,
      asAdmin,
    );
    assert.deepEqual(
      listed.body.data.map((e) => e.e164),
      ['+15551230001'],
      'a number in the request is never listed',
    );
  });

  test('when a web visitor has no phone number, then the opt-out is refused as no_caller_number; an unknown call is a 404', async () => {
    const call = await webCall();
    const refused = await post(`/internal/calls/${call.id}/opt-out`);
    assert.equal(refused.status, 409);
    assert.equal(errorOf(refused.body).code, 'no_caller_number');
    assert.equal((await post('/internal/calls/call_none/opt-out')).status, 404);
  });
});

describe('POST /internal/calls/:id/callbacks', () => {
  test('when a caller asks for a time outside calling hours, then a callback to their number is scheduled at the next opening, with the context, and call.scheduled is queued', async () => {
    const caller = '+15551230002';
    const call = await phoneCall(caller);
    const asked = utcDayAt(2, 20); // 20:00 UTC; the persona calls 09:00–17:00 UTC
    const res = await post<ScheduledCallback>(`/internal/calls/${call.id}/callbacks`, {
      at: asked.toISOString(),
      context: 'Caller said: "my invoice is wrong".',
      to: '+15559999999',
    });
    assert.equal(res.status, 201);
    const { scheduledCall, movedIntoCallingHours } = res.body;
    assert.equal(movedIntoCallingHours, true);
    assert.equal(scheduledCall.at, utcDayAt(3, 9).toISOString());
    assert.equal(scheduledCall.kind, 'callback');
    assert.equal(scheduledCall.to, caller, 'the call’s own number, not one from the request');
    assert.equal(scheduledCall.requestedInCallId, call.id);
    assert.deepEqual(scheduledCall.variables, {
      plan: 'pro',
      callback_context: 'Caller said: "my invoice is wrong".',
    });
    // Dialled from the line the caller rang, through the trunk that presents it.
    const due = await app.tenant.scheduledCalls.due(utcDayAt(3, 10), 100);
    const dial = due.find((d) => d.id === scheduledCall.id);
    assert.deepEqual([dial?.from, dial?.trunk], [LINE, 'carrier']);
    const queued = await app.tenant.webhooks.listDeliveries();
    assert.deepEqual(
      queued.filter((d) => d.eventId === `${scheduledCall.id}.scheduled`).length,
      1,
      'call.scheduled is queued',
    );
  });

  test('when the same time is asked again, then the callback is answered again; another time replaces it', async () => {
    const call = await phoneCall('+15551230003');
    const path = `/internal/calls/${call.id}/callbacks`;
    const inHours = utcDayAt(2, 11).toISOString();
    const first = await post<ScheduledCallback>(path, { at: inHours });
    const retry = await post<ScheduledCallback>(path, { at: inHours });
    assert.deepEqual([first.status, retry.status], [201, 200]);
    assert.equal(retry.body.scheduledCall.id, first.body.scheduledCall.id);
    assert.equal(first.body.movedIntoCallingHours, false);
    const later = await post<ScheduledCallback>(path, { at: utcDayAt(2, 15).toISOString() });
    assert.equal(later.status, 201);
    const mine = (await app.tenant.scheduledCalls.list()).filter(
      (s) => s.requestedInCallId === call.id,
    );
    assert.deepEqual(
      mine.map((s) => [s.id, s.status]).sort(),
      [
        [first.body.scheduledCall.id, 'cancelled'],
        [later.body.scheduledCall.id, 'scheduled'],
      ].sort(),
    );
  });

  test('when a web visitor continued on their phone, then that phone is called back; without one, the callback is refused', async () => {
    const call = await webCall();
    const path = `/internal/calls/${call.id}/callbacks`;
    const at = utcDayAt(2, 10).toISOString();
    const none = await post(path, { at });
    assert.equal(none.status, 409);
    assert.equal(errorOf(none.body).code, 'no_caller_number');
    await post(`/internal/calls/${call.id}/legs`, {
      kind: 'phone',
      identity: 'phone-abc',
      phoneNumber: '+15551230004',
      direction: 'outbound',
      status: 'answered',
    });
    const scheduled = await post<ScheduledCallback>(path, { at });
    assert.equal(scheduled.status, 201);
    assert.equal(scheduled.body.scheduledCall.to, '+15551230004');
  });

  test('when the number may not be dialled, the time has passed or there is no trunk, then the callback is refused with the reason', async () => {
    const listed = await phoneCall('+15551230005');
    await app.tenant.dialRules.addDoNotCall('+15551230005');
    const abroad = await phoneCall('+447700900123');
    const fine = await phoneCall('+15551230006');
    const noTrunk = await phoneCall('+15551230007', 'elsewhere');
    const tomorrow = utcDayAt(1, 10).toISOString();
    const cases = [
      [listed, tomorrow, 403, 'do_not_call'],
      [abroad, tomorrow, 403, 'destination_not_allowed'],
      [fine, utcDayAt(-1, 10).toISOString(), 422, 'in_the_past'],
      [noTrunk, tomorrow, 409, 'no_outbound_trunk'],
    ] as const;
    for (const [call, at, status, code] of cases) {
      const res = await post(`/internal/calls/${call.id}/callbacks`, { at });
      assert.deepEqual([res.status, errorOf(res.body).code], [status, code]);
    }
    const bad = await post(`/internal/calls/${fine.id}/callbacks`, { at: 'tomorrow at three' });
    assert.equal(bad.status, 400);
    assert.equal(
      (await app.tenant.scheduledCalls.list()).filter((s) =>
        [listed.id, abroad.id, fine.id, noTrunk.id].includes(s.requestedInCallId ?? ''),
      ).length,
      0,
    );
  });
});
