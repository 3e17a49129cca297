import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CallerHistory } from '@parley/contracts';
import { asAdmin, asAgent, request, startTestApp, type TestApp } from '../../test/test-app.js';
import type { Call } from '@parley/contracts';
import type { CallRecord } from '@parley/contracts';

const CALLER = '+14155550177';

let app: TestApp;
before(async () => {
  app = await startTestApp();
  await app.tenant.webhooks.createEndpoint({
    url: 'https://crm.example/hooks',
    events: ['call.phone_status'],
  });
});
after(async () => {
  await app.stop();
});

const agent = <T>(method: string, path: string, body?: unknown) =>
  request<T>(`${app.url}${path}`, method, body, asAgent);

/** An inbound phone call as the agent starts it: from the SIP participant's attributes. */
async function inboundCall(roomName: string): Promise<Call> {
  const res = await agent<Call>('POST', '/internal/calls', {
    personaId: 'default',
    channel: 'phone',
    roomName,
    participantIdentity: `sip_${CALLER}`,
    caller: { phoneNumber: CALLER },
    dialedNumber: '+14155550100',
  });
  assert.equal(res.status, 201);
  return res.body;
}

describe('phone calls the agent records', () => {
  test('when the agent starts a phone call, then it is inbound, answered, with the caller leg', async () => {
    const call = await inboundCall('phone-_in_1');
    assert.deepEqual([call.direction, call.phoneStatus], ['inbound', 'answered']);

    const closed = await agent<Call>('POST', `/internal/calls/${call.id}/close`, {
      outcome: 'completed',
      summary: 'Asked for the opening hours.',
    });
    assert.equal(closed.body.phoneStatus, 'completed');

    const record = await request<CallRecord>(
      `${app.url}/v1/calls/${call.id}`,
      'GET',
      undefined,
      asAdmin,
    );
    assert.equal(record.body.phoneStatus, 'completed');
    assert.deepEqual(
      record.body.legs.map((l) => [l.kind, l.identity, l.phoneNumber, l.direction, l.status]),
      [['phone', `sip_${CALLER}`, CALLER, 'inbound', 'completed']],
    );
    assert.ok(record.body.legs[0]?.endedAt);
    const events = (await app.tenant.webhooks.listDeliveries())
      .filter((d) => d.payload.callId === call.id)
      .map((d) => [d.eventType, (d.payload as { status: string }).status]);
    assert.deepEqual(events.sort(), [
      ['call.phone_status', 'answered'],
      ['call.phone_status', 'completed'],
    ]);
  });

  test('when Parley dialled the call, then the agent gets that record back unchanged', async () => {
    const dialled = await app.tenant.calls.create({
      personaId: 'default',
      channel: 'phone',
      roomName: 'phone-out-x',
      direction: 'outbound',
      phoneStatus: 'ringing',
      caller: { phoneNumber: CALLER },
    });
    const res = await agent<Call>('POST', '/internal/calls', {
      personaId: 'default',
      channel: 'phone',
      roomName: 'phone-out-x',
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.id, dialled.id);
    assert.deepEqual([res.body.direction, res.body.phoneStatus], ['outbound', 'ringing']);
  });

  test('a web call gets no phone direction or status', async () => {
    const res = await agent<Call>('POST', '/internal/calls', {
      personaId: 'default',
      channel: 'web',
      roomName: 'web_1',
    });
    assert.equal(res.body.direction, undefined);
    assert.equal(res.body.phoneStatus, undefined);
  });

  test('legs, warnings and keypad digits the agent reports are on the call record', async () => {
    const call = await inboundCall('phone-_in_2');
    const calls = `/internal/calls/${call.id}`;
    const leg = await agent('POST', `${calls}/legs`, {
      kind: 'transfer',
      identity: 'human-1',
      phoneNumber: '+14155550188',
      status: 'ringing',
    });
    const warning = { code: 'narrowband_audio', message: 'PCMU: recognition will be poor' };
    const first = await agent('POST', `${calls}/warnings`, warning);
    const again = await agent('POST', `${calls}/warnings`, warning);
    const turn = await agent('POST', `${calls}/turns`, {
      key: 't1',
      turn: { userText: 'my order number', dtmf: '4217#' },
    });
    const bad = await agent('POST', `${calls}/legs`, { kind: 'fax', identity: 'x' });
    const unknown = await agent('POST', '/internal/calls/call_none/warnings', warning);

    assert.deepEqual(
      [leg.status, first.status, again.status, turn.status, bad.status, unknown.status],
      [200, 200, 200, 201, 400, 404],
    );
    const record = await request<CallRecord>(
      `${app.url}/v1/calls/${call.id}`,
      'GET',
      undefined,
      asAdmin,
    );
    assert.deepEqual(
      record.body.legs.map((l) => [l.identity, l.status]),
      [
        [`sip_${CALLER}`, 'answered'],
        ['human-1', 'ringing'],
      ],
    );
    assert.deepEqual(
      record.body.warnings.map((w) => w.code),
      ['narrowband_audio'],
    );
    assert.equal(record.body.turns[0]?.dtmf, '4217#');
  });

  test('the caller history names earlier ended calls of the number, in the tenant the agent names', async () => {
    const history = await agent<CallerHistory>(
      'GET',
      `/internal/caller-history?phoneNumber=${encodeURIComponent(CALLER)}`,
    );
    assert.equal(history.status, 200);
    assert.equal(history.body.previousCalls, 1, 'only the ended call counts');
    assert.equal(history.body.lastSummary, 'Asked for the opening hours.');
    const withTenant = await agent<CallerHistory>(
      'GET',
      `/internal/caller-history?phoneNumber=${encodeURIComponent(CALLER)}&tenant=${app.tenant.tenantId}`,
    );
    assert.deepEqual(withTenant.body, history.body);
    const unknownTenant = await agent(
      'GET',
      `/internal/caller-history?phoneNumber=${encodeURIComponent(CALLER)}&tenant=ten_none`,
    );
    const notE164 = await agent('GET', '/internal/caller-history?phoneNumber=4155550177');
    const noKey = await request(
      `${app.url}/internal/caller-history?phoneNumber=${encodeURIComponent(CALLER)}`,
      'GET',
    );
    assert.deepEqual([unknownTenant.status, notE164.status, noKey.status], [404, 400, 401]);
  });
});
