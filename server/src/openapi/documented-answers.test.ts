/**
 * Every answer of a scripted run over all routes is held to what the registry documents for its
 * route and status: success bodies to their schema (no undocumented field), error codes to the
 * route's documented ones. The run must answer every documented route successfully once.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { AccessToken } from 'livekit-server-sdk';
import { ERROR_STATUS, type ApiErrorBody, type PersonaInput } from '@parley/contracts';
import {
  livekitWebhook,
  startObservedApp,
  type ObservedApp,
} from '../../test/observed-test-app.js';
import { ScriptedPhoneDialer } from '../phone/outbound/scripted-phone-dialer.js';
import { InMemorySipApi } from '../phone/in-memory-sip-api.js';
import { PhoneProvisioner } from '@parley/sip';
import { ADMIN_KEY, AGENT_KEY, LIVEKIT_API_KEY, LIVEKIT_API_SECRET } from '../../test/test-app.js';
import { errorCodes } from './document.js';
import { documentedRoute, ROUTE_DOCS } from './index.js';

let app: ObservedApp;
const dialer = new ScriptedPhoneDialer();
let toolServer: Server;

before(async () => {
  app = await startObservedApp({
    phoneDialer: dialer,
    phoneProvisioner: new PhoneProvisioner({ client: new InMemorySipApi() }),
  });
  toolServer = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"weather":"sunny"}');
  });
  await new Promise<void>((resolve) => toolServer.listen(0, '127.0.0.1', resolve));
});
after(async () => {
  await new Promise<void>((resolve) => toolServer.close(() => resolve()));
  await app.stop();
});

const key = (route: { method: string; path: string }) =>
  `${route.method.toUpperCase()} ${route.path}`;

/** Route and status of every answer checked so far: `GET /v1/calls/:id 200`. */
const answered = new Set<string>();

/** Holds one answer to what the registry documents for its route and status. */
function assertDocumented(
  method: string,
  path: string,
  status: number,
  body: unknown,
  type: string,
) {
  const routePath = documentedRoute(method, path);
  assert.ok(routePath, `${method} ${path} is not documented`);
  const route = ROUTE_DOCS.find((r) => key(r) === `${method} ${routePath}`);
  assert.ok(route);
  const where = `${method} ${routePath} → ${status}`;
  const answer = route.responses[status];
  if (answer?.schema) {
    // Parsing drops fields the schema does not know: an undocumented field fails here.
    assert.deepEqual(answer.schema.parse(body), body, `${where} differs from its schema`);
  } else if (answer?.mediaType) {
    assert.equal(type.split(';')[0], answer.mediaType.split(';')[0], where);
  } else if (answer) {
    assert.equal(body, '', `${where} should have no body`);
  } else {
    assert.ok(status >= 400, `${where} is not documented`);
    const { code } = (body as ApiErrorBody).error;
    assert.ok(errorCodes(route).includes(code), `${where} ${code} is not documented`);
    assert.equal(ERROR_STATUS[code], status, where);
  }
  answered.add(`${method} ${routePath} ${status}`);
}

interface Call {
  body?: unknown;
  auth?: string;
  headers?: Record<string, string>;
  raw?: string;
}

async function call(method: string, path: string, options: Call = {}) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.auth) headers.authorization = `Bearer ${options.auth}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${app.url}${path}`, {
    method,
    headers,
    body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const type = res.headers.get('content-type') ?? '';
  const text = await res.text();
  const body: unknown = type.includes('json') ? JSON.parse(text) : text;
  assertDocumented(method, new URL(res.url).pathname, res.status, body, type);
  return { status: res.status, body: body as Record<string, unknown> };
}

const admin = ADMIN_KEY;
const agent = AGENT_KEY;

describe('answers match the document', () => {
  const origin = 'https://shop.example';
  let toolUrl = '';
  let roomName = '';
  let callId = '';
  let leadId = '';
  let appointmentId = '';

  before(() => {
    toolUrl = `http://127.0.0.1:${(toolServer.address() as AddressInfo).port}/weather`;
  });

  test('operations', async () => {
    assert.equal((await call('GET', '/healthz')).status, 503);
    const beat = { agentName: 'parley', workerId: 'worker-1' };
    assert.equal(
      (await call('POST', '/internal/workers/heartbeat', { auth: agent, body: beat })).status,
      204,
    );
    for (const path of ['/healthz', '/readyz', '/livez', '/metrics', '/v1/openapi.json']) {
      assert.equal((await call('GET', path)).status, 200, path);
    }
  });

  test('personas', async () => {
    const persona: PersonaInput = {
      id: 'booking',
      name: 'Booking desk',
      greeting: 'Hello!',
      instructions: 'Book appointments.',
      allowedOrigins: [origin],
      disclosure: { requireConsent: true, consentVersion: '2' },
      businessHours: {
        timeZone: 'UTC',
        weekly: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => ({
          day: day as 'mon',
          open: '00:00',
          close: '23:59',
        })),
      },
      webhookTools: [{ name: 'weather', description: 'The weather', method: 'GET', url: toolUrl }],
    };
    assert.equal((await call('POST', '/v1/personas', { auth: admin, body: persona })).status, 201);
    assert.equal((await call('POST', '/v1/personas', { auth: admin, body: persona })).status, 409);
    const edited = { ...persona, greeting: 'Hi there!' };
    assert.equal(
      (await call('PUT', '/v1/personas/booking', { auth: admin, body: edited })).status,
      200,
    );
    assert.equal((await call('GET', '/v1/personas', { auth: admin })).status, 200);
    assert.equal((await call('GET', '/v1/personas/booking', { auth: admin })).status, 200);
    assert.equal((await call('GET', '/v1/personas/nobody', { auth: admin })).status, 404);
    assert.equal((await call('GET', '/v1/personas/booking/versions', { auth: admin })).status, 200);
    assert.equal((await call('GET', '/v1/personas/nobody/versions', { auth: admin })).status, 404);
    assert.equal((await call('GET', '/v1/personas')).status, 401);
    assert.equal(
      (
        await call('POST', '/v1/personas', {
          auth: admin,
          raw: '{"id":',
          headers: { 'content-type': 'application/json' },
        })
      ).status,
      400,
    );
  });

  test('web sessions', async () => {
    const config = await call('GET', '/v1/widget-config?persona=booking', { headers: { origin } });
    assert.equal(config.status, 200);
    const consent = config.body.consent as { text: string; version: string };
    const session = { persona: 'booking', visitor: { id: 'visitor-1' } };
    const refused = await call('POST', '/v1/sessions', { headers: { origin }, body: session });
    assert.equal(refused.status, 403);
    const accepted = { ...consent, acceptedAt: new Date().toISOString() };
    const opened = await call('POST', '/v1/sessions', {
      headers: { origin },
      body: { ...session, consent: accepted },
    });
    assert.equal(opened.status, 201);
    roomName = String(opened.body.roomName);
    const elsewhere = await call('POST', '/v1/sessions', {
      headers: { origin: 'https://evil.example' },
      body: session,
    });
    assert.equal(elsewhere.status, 403);
  });

  test('the agent', async () => {
    assert.equal((await call('GET', '/internal/personas/booking', { auth: agent })).status, 200);
    const input = { personaId: 'booking', channel: 'web', roomName };
    const created = await call('POST', '/internal/calls', { auth: agent, body: input });
    assert.equal(created.status, 201);
    callId = String(created.body.id);
    assert.equal((await call('POST', '/internal/calls', { auth: agent, body: input })).status, 200);

    const calls = `/internal/calls/${callId}`;
    const turn = {
      key: 'k1',
      turn: { userText: 'hi', agentText: 'hello', timings: { e2eMs: 800 } },
    };
    assert.equal((await call('POST', `${calls}/turns`, { auth: agent, body: turn })).status, 201);
    assert.equal((await call('POST', `${calls}/turns`, { auth: agent, body: turn })).status, 200);

    const leg = { kind: 'web', identity: 'visitor-1' };
    assert.equal((await call('POST', `${calls}/legs`, { auth: agent, body: leg })).status, 200);
    const warning = { code: 'narrowband_audio', message: 'PCMU: recognition will be poor' };
    assert.equal(
      (await call('POST', `${calls}/warnings`, { auth: agent, body: warning })).status,
      200,
    );
    assert.equal(
      (await call('POST', '/internal/calls/call_none/legs', { auth: agent, body: leg })).status,
      404,
    );
    const history = '/internal/caller-history?phoneNumber=%2B14155550123';
    assert.equal((await call('GET', history, { auth: agent })).status, 200);
    assert.equal((await call('GET', `${history}&tenant=ten_none`, { auth: agent })).status, 404);

    const lead = {
      key: 'lead-1',
      lead: {
        name: 'Ada',
        email: 'ada@example.com',
        need: 'a demo',
        score: 2,
        temperature: 'warm',
        signals: ['need'],
      },
    };
    const captured = await call('POST', `${calls}/leads`, { auth: agent, body: lead });
    assert.equal(captured.status, 201);
    leadId = String(captured.body.id);
    assert.equal((await call('POST', `${calls}/leads`, { auth: agent, body: lead })).status, 200);

    const free = await call('GET', `${calls}/availability?days=2`, { auth: agent });
    assert.equal(free.status, 200);
    const [slot] = free.body.slots as { startsAt: string }[];
    assert.ok(slot);
    const booking = { key: 'appt-1', appointment: { startsAt: slot.startsAt, name: 'Ada' } };
    const booked = await call('POST', `${calls}/appointments`, { auth: agent, body: booking });
    assert.equal(booked.status, 201);
    appointmentId = String(booked.body.id);
    assert.equal(
      (await call('POST', `${calls}/appointments`, { auth: agent, body: booking })).status,
      200,
    );
    const clash = { ...booking, key: 'appt-2' };
    assert.equal(
      (await call('POST', `${calls}/appointments`, { auth: agent, body: clash })).status,
      409,
    );

    const tool = await call('POST', `${calls}/tools/weather`, {
      auth: agent,
      body: { args: { city: 'Paris' } },
    });
    assert.deepEqual(tool, { status: 200, body: { result: { weather: 'sunny' } } });
    assert.equal(
      (await call('POST', `${calls}/tools/nope`, { auth: agent, body: {} })).status,
      404,
    );

    const webhook = await livekitWebhook({
      event: 'participant_joined',
      id: 'EV_doc_1',
      room: { name: roomName },
      participant: { identity: 'visitor-1', kind: 0 },
    });
    const res = await fetch(`${app.url}/webhooks/livekit`, { method: 'POST', ...webhook });
    assertDocumented('POST', '/webhooks/livekit', res.status, await res.text(), '');
    assert.equal(res.status, 204);

    const closed = await call('POST', `${calls}/close`, {
      auth: agent,
      body: { outcome: 'completed' },
    });
    assert.equal(closed.status, 200);
    assert.equal(
      (await call('POST', `${calls}/turns`, { auth: agent, body: { ...turn, key: 'k9' } })).status,
      409,
    );
    assert.equal(
      (
        await call('POST', '/internal/calls/call_none/close', {
          auth: agent,
          body: { outcome: 'completed' },
        })
      ).status,
      404,
    );
  });

  test('the call record, leads and appointments', async () => {
    assert.equal((await call('GET', '/v1/calls?limit=5', { auth: admin })).status, 200);
    const record = await call('GET', `/v1/calls/${callId}`, { auth: admin });
    assert.equal(record.status, 200);
    assert.equal((record.body.events as unknown[]).length, 1);
    assert.equal((record.body.leads as unknown[]).length, 1);
    assert.equal((record.body.appointments as unknown[]).length, 1);
    assert.ok(record.body.consent);
    assert.equal((await call('GET', '/v1/leads?temperature=warm', { auth: admin })).status, 200);
    assert.equal((await call('GET', `/v1/leads/${leadId}`, { auth: admin })).status, 200);
    assert.equal(
      (await call('GET', '/v1/appointments?status=booked', { auth: admin })).status,
      200,
    );
    assert.equal(
      (await call('GET', `/v1/appointments/${appointmentId}`, { auth: admin })).status,
      200,
    );
    assert.equal(
      (await call('POST', `/v1/appointments/${appointmentId}/cancel`, { auth: admin })).status,
      200,
    );
    assert.equal((await call('GET', '/v1/appointments/nope', { auth: admin })).status, 404);
  });

  test('phone numbers, secrets and outgoing webhooks', async () => {
    const number = '/v1/phone-numbers/%2B14155550123';
    assert.equal(
      (await call('PUT', number, { auth: admin, body: { personaId: 'booking' } })).status,
      200,
    );
    assert.equal(
      (await call('PUT', number, { auth: admin, body: { personaId: 'nobody' } })).status,
      404,
    );
    assert.equal((await call('GET', '/v1/phone-numbers', { auth: admin })).status, 200);
    assert.equal((await call('GET', number, { auth: admin })).status, 200);
    assert.equal((await call('POST', '/v1/phone-numbers/reconcile', { auth: admin })).status, 200);
    assert.equal((await call('DELETE', number, { auth: admin })).status, 204);
    assert.equal((await call('DELETE', number, { auth: admin })).status, 404);
    assert.equal((await call('DELETE', '/v1/phone-numbers/12', { auth: admin })).status, 400);

    assert.equal(
      (
        await call('PUT', '/v1/secrets/CRM_TOKEN', {
          auth: admin,
          body: { value: 'crm-secret-value' },
        })
      ).status,
      204,
    );
    const secrets = await call('GET', '/v1/secrets', { auth: admin });
    assert.equal(secrets.status, 200);
    assert.doesNotMatch(JSON.stringify(secrets.body), /crm-secret-value/);
    assert.equal((await call('DELETE', '/v1/secrets/CRM_TOKEN', { auth: admin })).status, 204);
    assert.equal((await call('DELETE', '/v1/secrets/CRM_TOKEN', { auth: admin })).status, 404);

    const endpoint = { url: 'https://crm.example/hooks', events: ['call.ended'] };
    const created = await call('POST', '/v1/webhook-endpoints', { auth: admin, body: endpoint });
    assert.equal(created.status, 201);
    assert.equal((await call('GET', '/v1/webhook-endpoints', { auth: admin })).status, 200);
    assert.equal(
      (await call('GET', '/v1/webhook-deliveries?status=pending', { auth: admin })).status,
      200,
    );
    const id = String(created.body.id);
    assert.equal(
      (await call('DELETE', `/v1/webhook-endpoints/${id}`, { auth: admin })).status,
      204,
    );
    assert.equal(
      (await call('DELETE', `/v1/webhook-endpoints/${id}`, { auth: admin })).status,
      404,
    );
  });

  test('outbound phone calls', async () => {
    const trunk = { address: '127.0.0.1:5099', numbers: ['+15550009999'] };
    const trunkPath = '/v1/outbound-trunks/carrier';
    assert.equal((await call('PUT', trunkPath, { auth: admin, body: trunk })).status, 200);
    assert.equal((await call('GET', '/v1/outbound-trunks', { auth: admin })).status, 200);
    assert.equal((await call('GET', trunkPath, { auth: admin })).status, 200);
    assert.equal((await call('GET', '/v1/outbound-trunks/none', { auth: admin })).status, 404);
    const dnc = '/v1/do-not-call/%2B15550001111';
    assert.equal((await call('PUT', dnc, { auth: admin, body: {} })).status, 200);
    assert.equal((await call('GET', '/v1/do-not-call', { auth: admin })).status, 200);
    const policy = { allowedPrefixes: ['+1'], maxConcurrentPhoneCalls: 5 };
    assert.equal((await call('GET', '/v1/dial-policy', { auth: admin })).status, 200);
    assert.equal((await call('PUT', '/v1/dial-policy', { auth: admin, body: policy })).status, 200);
    const outbound = { persona: 'booking', to: '+15550002222' };
    const placed = await call('POST', '/v1/calls/outbound', { auth: admin, body: outbound });
    assert.equal(placed.status, 202);
    const refused = { ...outbound, to: '+15550001111' };
    assert.equal(
      (await call('POST', '/v1/calls/outbound', { auth: admin, body: refused })).status,
      403,
    );
    const transfer = { roomName: 'consult-1', participantIdentity: 'human-1' };
    const dialled = await call(
      'POST',
      `/internal/calls/${String(placed.body.callId)}/transfer-dial`,
      {
        auth: agent,
        body: transfer,
      },
    );
    assert.equal(dialled.status, 409, 'the persona has no transfer target');
    await call('PUT', '/v1/personas/booking', {
      auth: admin,
      body: {
        ...(await call('GET', '/v1/personas/booking', { auth: admin })).body,
        escalation: { transferTarget: '+15550003333' },
      },
    });
    assert.equal(
      (
        await call('POST', `/internal/calls/${String(placed.body.callId)}/transfer-dial`, {
          auth: agent,
          body: transfer,
        })
      ).status,
      200,
    );

    // A phone caller asks to be called back, then never to be called again.
    const phoneCall = await call('POST', '/internal/calls', {
      auth: agent,
      body: {
        personaId: 'booking',
        channel: 'phone',
        roomName: 'phone-in-doc',
        caller: { phoneNumber: '+15550008888' },
      },
    });
    const phoneCallPath = `/internal/calls/${String(phoneCall.body.id)}`;
    const callback = { at: new Date(Date.now() + 86_400_000).toISOString(), context: 'an invoice' };
    for (const status of [201, 200]) {
      assert.equal(
        (await call('POST', `${phoneCallPath}/callbacks`, { auth: agent, body: callback })).status,
        status,
      );
    }
    assert.equal((await call('POST', `${phoneCallPath}/opt-out`, { auth: agent })).status, 200);
    assert.equal(
      (await call('POST', `${phoneCallPath}/callbacks`, { auth: agent, body: callback })).status,
      403,
    );
    assert.equal(
      (await call('POST', `/internal/calls/${callId}/opt-out`, { auth: agent })).status,
      409,
      'a web visitor without a phone number',
    );

    const visitor = new AccessToken(LIVEKIT_API_KEY, LIVEKIT_API_SECRET, { identity: 'visitor-1' });
    const phoneRoom = String(placed.body.roomName);
    visitor.addGrant({ roomJoin: true, room: phoneRoom });
    dialer.present.add(`${phoneRoom}/visitor-1`);
    const asVisitor = `${await visitor.toJwt()}`;
    const cop = { to: '+15550004444' };
    assert.equal((await call('POST', '/v1/sessions/phone', { body: cop })).status, 401);
    assert.equal(
      (await call('POST', '/v1/sessions/phone', { auth: asVisitor, body: cop })).status,
      403,
    );
    const booking = (await call('GET', '/v1/personas/booking', { auth: admin })).body;
    await call('PUT', '/v1/personas/booking', {
      auth: admin,
      body: { ...booking, phone: { continueOnPhone: true } },
    });
    assert.equal(
      (await call('POST', '/v1/sessions/phone', { auth: asVisitor, body: cop })).status,
      202,
    );

    // campaigns and scheduled calls (the do-not-call number is refused)
    const campaign = {
      name: 'Renewals',
      persona: 'booking',
      contacts: [{ number: '+15550005555' }],
    };
    const made = await call('POST', '/v1/campaigns', { auth: admin, body: campaign });
    assert.equal(made.status, 201);
    const campaignPath = `/v1/campaigns/${String(made.body.id)}`;
    assert.equal((await call('GET', '/v1/campaigns', { auth: admin })).status, 200);
    assert.equal((await call('GET', campaignPath, { auth: admin })).status, 200);
    assert.equal((await call('GET', '/v1/campaigns/cmp_none', { auth: admin })).status, 404);
    const more = { contacts: [{ name: 'Ann', number: '+15550006666' }] };
    const added = await call('POST', `${campaignPath}/contacts`, { auth: admin, body: more });
    assert.equal(added.status, 200);
    assert.equal((await call('GET', `${campaignPath}/contacts`, { auth: admin })).status, 200);
    for (const action of ['start', 'pause', 'resume', 'cancel']) {
      assert.equal((await call('POST', `${campaignPath}/${action}`, { auth: admin })).status, 200);
    }
    assert.equal((await call('POST', `${campaignPath}/start`, { auth: admin })).status, 409);
    const at = new Date(Date.now() + 86_400_000).toISOString();
    const later = { persona: 'booking', to: '+15550007777', at };
    const scheduled = await call('POST', '/v1/scheduled-calls', { auth: admin, body: later });
    assert.equal(scheduled.status, 201);
    const notThem = { ...later, to: '+15550001111' };
    assert.equal(
      (await call('POST', '/v1/scheduled-calls', { auth: admin, body: notThem })).status,
      403,
    );
    assert.equal((await call('GET', '/v1/scheduled-calls', { auth: admin })).status, 200);
    const scheduledPath = `/v1/scheduled-calls/${String(scheduled.body.id)}`;
    assert.equal((await call('DELETE', scheduledPath, { auth: admin })).status, 200);
    assert.equal((await call('DELETE', scheduledPath, { auth: admin })).status, 409);

    assert.equal((await call('DELETE', dnc, { auth: admin })).status, 204);
    assert.equal((await call('DELETE', dnc, { auth: admin })).status, 404);
    assert.equal((await call('DELETE', trunkPath, { auth: admin })).status, 204);
  });

  test('tenants and API keys', async () => {
    const tenant = { slug: 'docs-co', name: 'Docs Co' };
    const created = await call('POST', '/v1/tenants', { auth: admin, body: tenant });
    assert.equal(created.status, 201);
    assert.equal((await call('POST', '/v1/tenants', { auth: admin, body: tenant })).status, 409);
    assert.equal((await call('GET', '/v1/tenants', { auth: admin })).status, 200);
    const tenantKey = String((created.body.apiKey as { key: string }).key);
    assert.equal((await call('GET', '/v1/tenants', { auth: tenantKey })).status, 403);

    const key = await call('POST', '/v1/api-keys', { auth: tenantKey, body: { name: 'ci' } });
    assert.equal(key.status, 201);
    assert.equal((await call('GET', '/v1/api-keys', { auth: tenantKey })).status, 200);
    const keyPath = `/v1/api-keys/${String(key.body.id)}`;
    assert.equal((await call('DELETE', keyPath, { auth: tenantKey })).status, 204);
    assert.equal((await call('GET', '/v1/api-keys', { auth: String(key.body.key) })).status, 401);
    assert.equal((await call('DELETE', '/v1/api-keys/key_none', { auth: admin })).status, 404);
  });

  test('every documented route was answered with a documented success at least once', () => {
    const unexercised = ROUTE_DOCS.filter(
      (route) => ![...answered].some((a) => a.startsWith(`${key(route)} 2`)),
    ).map(key);
    assert.deepEqual(unexercised, []);
  });
});
