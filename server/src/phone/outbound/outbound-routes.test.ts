import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { AccessToken } from 'livekit-server-sdk';
import type { PersonaInput } from '@parley/contracts';
import {
  LIVEKIT_API_KEY,
  LIVEKIT_API_SECRET,
  asAdmin,
  asAgent,
  request,
  startTestApp,
  type TestApp,
} from '../../../test/test-app.js';
import { ScriptedPhoneDialer } from './scripted-phone-dialer.js';
import type { CallDetail } from '@parley/contracts';

let app: TestApp;
let dialer: ScriptedPhoneDialer;

const TRUNK = {
  address: '127.0.0.1:5099',
  numbers: ['+15550009999'],
  authUsername: 'parley',
  authPassword: 'trunk-pass-123',
};
const SALES: PersonaInput = {
  id: 'sales',
  name: 'Sales',
  greeting: 'Hello from sales',
  instructions: '',
  escalation: { transferTarget: '+15550004444', mode: 'warm', ringTimeoutSeconds: 15 },
  phone: { continueOnPhone: true },
};

const put = (path: string, body: unknown) => request(`${app.url}${path}`, 'PUT', body, asAdmin);
const post = <T = Record<string, unknown>>(
  path: string,
  body: unknown,
  headers: Record<string, string> = asAdmin,
) => request<T>(`${app.url}${path}`, 'POST', body, headers);
const code = (body: unknown) => (body as { error?: { code: string } }).error?.code;

async function callRecord(id: string, until: (c: CallDetail) => boolean): Promise<CallDetail> {
  for (;;) {
    const call = await app.tenant.calls.get(id);
    if (call && until(call)) return call;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

before(async () => {
  dialer = new ScriptedPhoneDialer();
  app = await startTestApp(() => ({ phoneDialer: dialer }));
  assert.equal((await post('/v1/personas', SALES)).status, 201);
});
after(() => app.stop());

describe('outbound trunks', () => {
  test('a trunk is created in LiveKit, stored without its password, listed, replaced and removed', async () => {
    const created = await put('/v1/outbound-trunks/carrier', TRUNK);
    assert.equal(created.status, 200);
    const trunk = created.body as Record<string, unknown>;
    assert.equal(trunk.name, 'carrier');
    assert.equal(trunk.authUsername, 'parley');
    assert.doesNotMatch(JSON.stringify(trunk), /trunk-pass-123|SIP_OUTBOUND/);
    const first = String(trunk.trunkId);
    assert.equal(dialer.trunks.get(first)?.authPassword, 'trunk-pass-123');
    assert.equal(await app.tenant.secrets.reveal('SIP_OUTBOUND_CARRIER'), 'trunk-pass-123');

    const replaced = await put('/v1/outbound-trunks/carrier', {
      ...TRUNK,
      address: 'sip.example:5060',
    });
    const second = String((replaced.body as Record<string, unknown>).trunkId);
    assert.notEqual(second, first);
    assert.equal(dialer.trunks.has(first), false, 'the replaced LiveKit trunk is deleted');
    const list = await request<{ data: unknown[] }>(
      `${app.url}/v1/outbound-trunks`,
      'GET',
      undefined,
      asAdmin,
    );
    assert.equal(list.body.data.length, 1);

    assert.equal(
      (await request(`${app.url}/v1/outbound-trunks/carrier`, 'DELETE', undefined, asAdmin)).status,
      204,
    );
    assert.equal(dialer.trunks.has(second), false);
    assert.equal(await app.tenant.secrets.reveal('SIP_OUTBOUND_CARRIER'), undefined);
    const gone = await request(`${app.url}/v1/outbound-trunks/carrier`, 'GET', undefined, asAdmin);
    assert.equal(gone.status, 404);
  });

  test('a bad trunk name or body is refused before LiveKit is asked', async () => {
    const before = dialer.trunks.size;
    assert.equal((await put('/v1/outbound-trunks/Bad_Name', TRUNK)).status, 400);
    assert.equal((await put('/v1/outbound-trunks/ok', { ...TRUNK, numbers: ['555'] })).status, 400);
    assert.equal(dialer.trunks.size, before);
  });
});

describe('dial policy and do-not-call list', () => {
  test('the default policy allows no destination and 5 calls; a tenant sets its own', async () => {
    const policy = await request(`${app.url}/v1/dial-policy`, 'GET', undefined, asAdmin);
    assert.deepEqual(policy.body, { allowedPrefixes: [], maxConcurrentPhoneCalls: 5 });
    const set = await put('/v1/dial-policy', {
      allowedPrefixes: ['+44', '+1', '+1'],
      maxConcurrentPhoneCalls: 3,
    });
    assert.deepEqual(set.body, { allowedPrefixes: ['+1', '+44'], maxConcurrentPhoneCalls: 3 });
    assert.equal(
      (await put('/v1/dial-policy', { allowedPrefixes: ['44'], maxConcurrentPhoneCalls: 3 }))
        .status,
      400,
    );
  });

  test('numbers go on and off the do-not-call list', async () => {
    const added = await put('/v1/do-not-call/%2B15550001111', { reason: 'asked not to be called' });
    assert.equal(added.status, 200);
    const list = await request<{ data: { e164: string; reason?: string }[] }>(
      `${app.url}/v1/do-not-call`,
      'GET',
      undefined,
      asAdmin,
    );
    assert.deepEqual(
      list.body.data.map((e) => [e.e164, e.reason]),
      [['+15550001111', 'asked not to be called']],
    );
    const path = `${app.url}/v1/do-not-call/%2B15550001111`;
    assert.equal((await request(path, 'DELETE', undefined, asAdmin)).status, 204);
    assert.equal((await request(path, 'DELETE', undefined, asAdmin)).status, 404);
  });
});

describe('POST /v1/calls/outbound', () => {
  beforeEach(async () => {
    await put('/v1/dial-policy', { allowedPrefixes: ['+1'], maxConcurrentPhoneCalls: 5 });
  });

  test('each guard answers its typed error, and nothing dials', async () => {
    const dials = dialer.dials.length;
    const refused = async (body: Record<string, unknown>) =>
      code((await post('/v1/calls/outbound', body)).body);
    assert.equal(await refused({ persona: 'nobody', to: '+15550002222' }), 'persona_not_found');
    assert.equal(await refused({ persona: 'acme/sales', to: '+15550002222' }), 'persona_not_found');
    await put('/v1/do-not-call/%2B15550002222', {});
    assert.equal(await refused({ persona: 'sales', to: '+15550002222' }), 'do_not_call');
    assert.equal(
      await refused({ persona: 'sales', to: '+33612345678' }),
      'destination_not_allowed',
    );
    await put('/v1/dial-policy', { allowedPrefixes: ['+1'], maxConcurrentPhoneCalls: 0 });
    assert.equal(await refused({ persona: 'sales', to: '+15550003333' }), 'phone_call_limit');
    await put('/v1/dial-policy', { allowedPrefixes: ['+1'], maxConcurrentPhoneCalls: 5 });
    assert.equal(await refused({ persona: 'sales', to: '+15550003333' }), 'no_outbound_trunk');
    const closed: PersonaInput = { ...SALES, id: 'night', phone: { callingHours: [] } };
    await post('/v1/personas', closed);
    assert.equal(await refused({ persona: 'night', to: '+15550003333' }), 'outside_calling_hours');
    assert.equal(dialer.dials.length, dials);
    assert.equal(dialer.dispatches.length, 0);
  });

  test('an answered call: record, dispatch, dial, statuses and webhooks', async () => {
    await put('/v1/outbound-trunks/main', TRUNK);
    await post('/v1/webhook-endpoints', {
      url: 'https://crm.example/hooks',
      events: ['call.phone_status'],
    });
    const placed = await post<{ callId: string; roomName: string; status: string }>(
      '/v1/calls/outbound',
      {
        persona: 'default/sales',
        to: '+15550005555',
        variables: { orderId: 'A-1' },
      },
    );
    assert.equal(placed.status, 202);
    assert.equal(placed.body.status, 'dialing');
    assert.match(placed.body.roomName, /^phone-out-/);
    const dispatch = dialer.dispatches.find((d) => d.roomName === placed.body.roomName);
    assert.deepEqual(dispatch?.metadata, {
      personaId: 'sales',
      channel: 'phone',
      direction: 'outbound',
      visitor: {},
      variables: { orderId: 'A-1' },
    });
    const call = await callRecord(placed.body.callId, (c) => c.phoneStatus === 'answered');
    assert.equal(call.channel, 'phone');
    assert.equal(call.direction, 'outbound');
    assert.equal(call.status, 'active');
    assert.equal(call.caller.phoneNumber, '+15550005555');
    assert.deepEqual(
      call.legs.map((l) => [l.kind, l.identity, l.status]),
      [['phone', 'sip_15550005555', 'answered']],
    );
    const dial = dialer.dials.at(-1);
    assert.equal(dial?.leg, 'outbound');
    assert.equal(dial?.participantIdentity, 'sip_15550005555');
    // The agent's own create finds the same record.
    const agentCall = await post<{ id: string }>(
      '/internal/calls',
      { personaId: 'sales', channel: 'phone', roomName: placed.body.roomName },
      asAgent,
    );
    assert.equal(agentCall.status, 200);
    assert.equal(agentCall.body.id, placed.body.callId);
    const deliveries = await app.tenant.webhooks.listDeliveries();
    const statuses = deliveries
      .filter((d) => d.eventType === 'call.phone_status')
      .map((d) => (d.payload as { status: string }).status)
      .sort();
    assert.deepEqual(statuses, ['answered', 'dialing', 'ringing']);
  });

  test('a busy callee: the call is closed (abandoned) and its room closed', async () => {
    dialer.outcomes.set('+15550006666', { status: 'busy', sipStatusCode: 486 });
    const placed = await post<{ callId: string; roomName: string }>('/v1/calls/outbound', {
      persona: 'sales',
      to: '+15550006666',
    });
    const call = await callRecord(placed.body.callId, (c) => c.status === 'ended');
    assert.equal(call.phoneStatus, 'busy');
    assert.equal(call.outcome, 'abandoned');
    assert.ok(dialer.closedRooms.includes(placed.body.roomName));
  });

  test('a failed dial closes the call as failed', async () => {
    dialer.outcomes.set('+15550007777', { status: 'failed', sipStatusCode: 404 });
    const placed = await post<{ callId: string }>('/v1/calls/outbound', {
      persona: 'sales',
      to: '+15550007777',
    });
    const call = await callRecord(placed.body.callId, (c) => c.status === 'ended');
    assert.equal(call.phoneStatus, 'failed');
    assert.equal(call.outcome, 'failed');
  });
});

describe('POST /internal/calls/:id/transfer-dial', () => {
  test("dials the persona's transfer target, never another number, and keeps the leg", async () => {
    await put('/v1/outbound-trunks/main', TRUNK);
    const call = await app.tenant.calls.create({
      personaId: 'sales',
      channel: 'web',
      roomName: 'web_transfer_1',
    });
    const res = await post(
      `/internal/calls/${call.id}/transfer-dial`,
      { roomName: 'web_transfer_1-consult', participantIdentity: 'human-1', to: '+19005550000' },
      asAgent,
    );
    assert.deepEqual(res.body, { status: 'answered', participantIdentity: 'human-1' });
    const dial = dialer.dials.at(-1);
    assert.equal(dial?.to, '+15550004444');
    assert.equal(dial?.leg, 'transfer');
    assert.equal(dial?.ringingTimeoutSeconds, 15);
    assert.equal(dial?.roomName, 'web_transfer_1-consult');
    const record = await app.tenant.calls.get(call.id);
    assert.deepEqual(
      record?.legs.map((l) => [l.kind, l.identity, l.status]),
      [['transfer', 'human-1', 'answered']],
    );
  });

  test('a persona that names its outbound trunk dials through it, not the tenant’s first', async () => {
    await put('/v1/outbound-trunks/main', TRUNK);
    const humans = await put('/v1/outbound-trunks/humans', {
      address: '127.0.0.1:5098',
      numbers: ['+15550008888'],
    });
    await put('/v1/personas/sales', {
      ...SALES,
      phone: { ...SALES.phone, outboundTrunk: 'humans' },
    });
    try {
      const call = await app.tenant.calls.create({
        personaId: 'sales',
        channel: 'phone',
        roomName: 'phone_transfer_trunk',
      });
      await post(
        `/internal/calls/${call.id}/transfer-dial`,
        { roomName: 'phone_transfer_trunk-consult', participantIdentity: 'human-3' },
        asAgent,
      );
      assert.equal(dialer.dials.at(-1)?.trunkId, (humans.body as { trunkId: string }).trunkId);
    } finally {
      await put('/v1/personas/sales', SALES);
    }
  });

  test('an unanswered target is reported, not thrown', async () => {
    dialer.outcomes.set('+15550004444', { status: 'no_answer' });
    const call = await app.tenant.calls.create({
      personaId: 'sales',
      channel: 'phone',
      roomName: 'phone_transfer_2',
    });
    const res = await post(
      `/internal/calls/${call.id}/transfer-dial`,
      { roomName: 'phone_transfer_2', participantIdentity: 'human-2' },
      asAgent,
    );
    assert.deepEqual(res.body, { status: 'no_answer', participantIdentity: 'human-2' });
    dialer.outcomes.delete('+15550004444');
  });
});

describe('POST /v1/sessions/phone (continue on my phone)', () => {
  const tokenFor = async (room: string, identity: string) => {
    const token = new AccessToken(LIVEKIT_API_KEY, LIVEKIT_API_SECRET, { identity, ttl: 600 });
    token.addGrant({ roomJoin: true, room });
    return { authorization: `Bearer ${await token.toJwt()}` };
  };

  test('dials the visitor into their own room and records the leg', async () => {
    await put('/v1/outbound-trunks/main', TRUNK);
    const call = await app.tenant.calls.create({
      personaId: 'sales',
      channel: 'web',
      roomName: 'web_cop_1',
    });
    dialer.present.add('web_cop_1/visitor-1');
    const res = await post<{ status: string; identity: string }>(
      '/v1/sessions/phone',
      { to: '+15550008888' },
      await tokenFor('web_cop_1', 'visitor-1'),
    );
    assert.equal(res.status, 202);
    assert.equal(res.body.status, 'dialing');
    assert.match(res.body.identity, /^phone-/);
    const record = await callRecord(call.id, (c) => c.legs.some((l) => l.status === 'answered'));
    assert.equal(record.channel, 'web');
    assert.equal(record.status, 'active', 'the web call goes on');
    const dial = dialer.dials.at(-1);
    assert.equal(dial?.leg, 'continue-on-phone');
    assert.equal(dial?.roomName, 'web_cop_1');
    assert.equal(dial?.participantIdentity, res.body.identity);
  });

  test('refused: no token, a forged token, a persona that does not offer it, a visitor not in the room, a DNC number', async () => {
    const refused = async (to: string, headers: Record<string, string>) =>
      code((await post('/v1/sessions/phone', { to }, headers)).body);
    await app.tenant.calls.create({ personaId: 'default', channel: 'web', roomName: 'web_cop_2' });
    dialer.present.add('web_cop_2/visitor-2');
    assert.equal(await refused('+15550008888', {}), 'unauthorized');
    const forged = new AccessToken(LIVEKIT_API_KEY, 'another-secret-another-secret-another-1', {
      identity: 'visitor-2',
    });
    forged.addGrant({ roomJoin: true, room: 'web_cop_2' });
    const asForged = { authorization: `Bearer ${await forged.toJwt()}` };
    assert.equal(await refused('+15550008888', asForged), 'unauthorized');
    const visitor2 = await tokenFor('web_cop_2', 'visitor-2');
    assert.equal(await refused('+15550008888', visitor2), 'continue_on_phone_disabled');

    await app.tenant.calls.create({ personaId: 'sales', channel: 'web', roomName: 'web_cop_3' });
    dialer.present.add('web_cop_3/visitor-3');
    const stranger = await tokenFor('web_cop_3', 'visitor-9');
    assert.equal(await refused('+15550008888', stranger), 'forbidden');
    await put('/v1/do-not-call/%2B15550001234', {});
    const visitor3 = await tokenFor('web_cop_3', 'visitor-3');
    assert.equal(await refused('+15550001234', visitor3), 'do_not_call');
    assert.equal(await refused('+33612345678', visitor3), 'destination_not_allowed');
  });
});

describe('POST /v1/calls/outbound when every agent is busy', () => {
  test('it is refused at once with at_capacity and Retry-After, nothing is recorded or dialled, and it is placed again once a call ends', async () => {
    const busyDialer = new ScriptedPhoneDialer();
    // A database of its own: the workers and holds in it count for this app alone.
    const busy = await startTestApp(() => ({ phoneDialer: busyDialer }));
    const as = <T = Record<string, unknown>>(
      path: string,
      body: unknown,
      headers: Record<string, string>,
      method = 'POST',
    ) => request<T>(`${busy.url}${path}`, method, body, headers);
    const beat = async (activeJobs: number) =>
      (
        await as(
          '/internal/workers/heartbeat',
          { agentName: 'parley', workerId: 'AW_busy', activeJobs, maxJobs: 1 },
          asAgent,
        )
      ).status;
    const place = () =>
      fetch(`${busy.url}/v1/calls/outbound`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...asAdmin },
        body: JSON.stringify({ persona: 'sales', to: '+15550006666' }),
      });
    try {
      assert.equal((await as('/v1/personas', SALES, asAdmin)).status, 201);
      assert.equal((await as('/v1/outbound-trunks/main', TRUNK, asAdmin, 'PUT')).status, 200);
      await as(
        '/v1/dial-policy',
        { allowedPrefixes: ['+1'], maxConcurrentPhoneCalls: 5 },
        asAdmin,
        'PUT',
      );
      assert.equal(await beat(1), 204);
      const refused = await place();
      assert.equal(refused.status, 503);
      assert.equal(code(await refused.json()), 'at_capacity');
      const retryAfter = Number(refused.headers.get('retry-after'));
      assert.ok(retryAfter >= 1 && retryAfter <= 5, `Retry-After ${retryAfter}`);
      assert.equal(busyDialer.dispatches.length, 0);
      assert.equal(busyDialer.dials.length, 0);
      assert.equal((await busy.tenant.calls.list()).items.length, 0, 'no call record is made');
      // The worker's call ends: the next attempt is placed.
      assert.equal(await beat(0), 204);
      const placed = await place();
      assert.equal(placed.status, 202);
      assert.equal(busyDialer.dispatches.length, 1);
    } finally {
      await busy.stop();
    }
  });
});
