import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Appointment, Availability, Lead, PersonaInput } from '@parley/contracts';
import { asAgent, request, startTestApp, type TestApp } from '../../test/test-app.js';
import { verifyWebhookSignature } from '../webhooks/webhook-signature.js';
import { EVERY_DAY_NINE_TO_FIVE_UTC, utcDayAt } from '../../test/booking-fixtures.js';
import type { Call } from '@parley/contracts';

let app: TestApp;

/** A persona with business hours every day 09:00–17:00 UTC, 30-minute appointments. */
const BOOKING_PERSONA: PersonaInput = {
  id: 'booker',
  name: 'Booker',
  greeting: 'Hi',
  instructions: '',
  businessHours: EVERY_DAY_NINE_TO_FIVE_UTC,
};

/** `offsetDays` from today (UTC) at hh:mm UTC, as ISO. */
const at = (offsetDays: number, hh: number, mm = 0) => utcDayAt(offsetDays, hh, mm).toISOString();

async function newCall(personaId: string): Promise<Call> {
  const roomName = `room-${Math.random().toString(36).slice(2)}`;
  const res = await request<Call>(
    `${app.url}/internal/calls`,
    'POST',
    { personaId, channel: 'web', roomName },
    asAgent,
  );
  assert.equal(res.status, 201);
  return res.body;
}

const post = <T>(path: string, body: unknown) =>
  request<T>(`${app.url}${path}`, 'POST', body, asAgent);
const errorOf = (body: unknown) => (body as { error: { code: string; message: string } }).error;

before(async () => {
  app = await startTestApp();
  await app.tenant.personas.create(BOOKING_PERSONA);
  await app.tenant.personas.create({
    id: 'plain',
    name: 'Plain',
    greeting: 'Hi',
    instructions: '',
  });
  await app.tenant.webhooks.createEndpoint({
    url: 'https://hooks.example/parley',
    events: ['lead.captured', 'appointment.booked'],
  });
});
after(() => app.stop());

describe('POST /internal/calls/:id/leads', () => {
  const lead = {
    name: 'Ada Lovelace',
    email: 'ada@example.com',
    company: 'Engines Ltd',
    need: 'a voice agent for our shop',
    budget: 5000,
    isDecisionMaker: true,
    timelineDays: 30,
    score: 100,
    temperature: 'hot',
    signals: ['budget', 'authority', 'need', 'timeline'],
  };

  test('when a lead is captured and retried with its key, then it is stored and queued once', async () => {
    const call = await newCall('default');
    const first = await post<Lead>(`/internal/calls/${call.id}/leads`, { key: 'k1', lead });
    const retry = await post<Lead>(`/internal/calls/${call.id}/leads`, { key: 'k1', lead });

    assert.deepEqual([first.status, retry.status], [201, 200]);
    assert.deepEqual(retry.body, first.body);
    assert.deepEqual(
      {
        callId: first.body.callId,
        name: first.body.name,
        notes: first.body.notes,
        company: first.body.company,
        temperature: first.body.temperature,
        data: first.body.data,
      },
      {
        callId: call.id,
        name: 'Ada Lovelace',
        notes: 'a voice agent for our shop',
        company: 'Engines Ltd',
        temperature: 'hot',
        data: {
          budget: 5000,
          isDecisionMaker: true,
          timelineDays: 30,
          score: 100,
          signals: ['budget', 'authority', 'need', 'timeline'],
        },
      },
    );
    assert.equal((await app.tenant.calls.require(call.id)).leadTemperature, 'hot');
    const queued = await app.tenant.webhooks.listDeliveries();
    assert.deepEqual(
      queued.filter((d) => d.eventType === 'lead.captured').map((d) => d.eventId),
      [`${first.body.id}.captured`],
    );
  });

  test('when a cooler lead follows, then the call keeps its hotter temperature', async () => {
    const call = await newCall('default');
    await post(`/internal/calls/${call.id}/leads`, {
      key: 'a',
      lead: { ...lead, temperature: 'warm' },
    });
    await post(`/internal/calls/${call.id}/leads`, {
      key: 'b',
      lead: { ...lead, temperature: 'cold' },
    });
    assert.equal((await app.tenant.calls.require(call.id)).leadTemperature, 'warm');
  });

  test('when the call is unknown or the lead malformed, then 404 or 400', async () => {
    const unknown = await post('/internal/calls/call_nope/leads', { key: 'k', lead });
    assert.deepEqual([unknown.status, errorOf(unknown.body).code], [404, 'not_found']);
    const call = await newCall('default');
    const noScore = await post(`/internal/calls/${call.id}/leads`, {
      key: 'k',
      lead: { name: 'Ada' },
    });
    assert.deepEqual([noScore.status, errorOf(noScore.body).code], [400, 'invalid_request']);
  });
});

describe('availability and appointments', () => {
  const book = (callId: string, key: string, startsAt: string) =>
    post<Appointment>(`/internal/calls/${callId}/appointments`, {
      key,
      appointment: { startsAt, name: 'Ada', phone: '+14155550100' },
    });

  test('when a persona has no business hours, then availability and booking answer 409', async () => {
    const call = await newCall('plain');
    const slots = await request(
      `${app.url}/internal/calls/${call.id}/availability`,
      'GET',
      undefined,
      asAgent,
    );
    const booked = await book(call.id, 'k', at(1, 10));
    assert.deepEqual(
      [slots.status, errorOf(slots.body).code, booked.status, errorOf(booked.body).code],
      [409, 'no_business_hours', 409, 'no_business_hours'],
    );
  });

  test('when a slot is booked and retried, then it lasts the persona length and is booked once', async () => {
    const call = await newCall('booker');
    const first = await book(call.id, 'apt-1', at(2, 10));
    const retry = await book(call.id, 'apt-1', at(2, 10));

    assert.deepEqual([first.status, retry.status], [201, 200]);
    assert.deepEqual(retry.body, first.body);
    assert.deepEqual(
      [first.body.startsAt, first.body.endsAt, first.body.callId, first.body.status],
      [at(2, 10), at(2, 10, 30), call.id, 'booked'],
    );
    const queued = await app.tenant.webhooks.listDeliveries();
    assert.deepEqual(
      queued.filter((d) => d.eventType === 'appointment.booked').map((d) => d.eventId),
      [`${first.body.id}.booked`],
    );

    const slots = await request<Availability>(
      `${app.url}/internal/calls/${call.id}/availability?from=${at(2, 9)}&days=1&limit=3`,
      'GET',
      undefined,
      asAgent,
    );
    assert.equal(slots.status, 200);
    assert.deepEqual(slots.body, {
      timeZone: 'UTC',
      slots: [
        { startsAt: at(2, 9), endsAt: at(2, 9, 30) },
        { startsAt: at(2, 9, 30), endsAt: at(2, 10) },
        { startsAt: at(2, 10, 30), endsAt: at(2, 11) },
      ],
    });
  });

  test('when a booked slot is overlapped, then 409 slot_taken names the next free slots', async () => {
    const call = await newCall('booker');
    assert.equal((await book(call.id, 'a', at(3, 10))).status, 201);
    const overlap = await book(call.id, 'b', at(3, 10, 15));
    assert.equal(overlap.status, 409);
    const { code, message } = errorOf(overlap.body);
    assert.equal(code, 'slot_taken');
    const day = at(3, 0).slice(0, 10);
    assert.match(
      message,
      new RegExp(`next free slots: \\w{3} ${day} 10:30 \\(${day}T10:30:00\\+00:00\\)`),
    );
  });

  test('when a time is outside business hours or already past, then 422 naming free slots', async () => {
    const call = await newCall('booker');
    const evening = await book(call.id, 'a', at(4, 20));
    const past = await book(call.id, 'b', at(-1, 10));
    assert.deepEqual(
      [evening.status, errorOf(evening.body).code, past.status, errorOf(past.body).code],
      [422, 'outside_business_hours', 422, 'in_the_past'],
    );
    const nextMorning = at(5, 9).slice(0, 16).replace('T', ' ');
    assert.match(
      errorOf(evening.body).message,
      new RegExp(`next free slots: \\w{3} ${nextMorning}`),
    );
    assert.equal((await app.tenant.appointments.list({ callId: call.id })).length, 0);
  });

  test('when the availability query is out of range, then 400', async () => {
    const call = await newCall('booker');
    const res = await request(
      `${app.url}/internal/calls/${call.id}/availability?days=15`,
      'GET',
      undefined,
      asAgent,
    );
    assert.deepEqual([res.status, errorOf(res.body).code], [400, 'invalid_request']);
  });
});

describe('POST /internal/calls/:id/tools/:name', () => {
  interface Received {
    method: string;
    url: string;
    headers: IncomingMessage['headers'];
    body: string;
  }
  const received: Received[] = [];
  let answer: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();
  let endpoint: Server;
  let origin = '';

  before(async () => {
    endpoint = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        answer(req, res);
      });
    }).listen(0, '127.0.0.1');
    await once(endpoint, 'listening');
    origin = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}`;
    const tool = (name: string, extra: object = {}) => ({
      name,
      description: `The ${name} tool`,
      url: `${origin}/${name}`,
      timeoutMs: 300,
      ...extra,
    });
    await app.tenant.personas.create({
      id: 'tooled',
      name: 'Tooled',
      greeting: 'Hi',
      instructions: '',
      webhookTools: [
        tool('order_status', {
          headers: { authorization: 'Bearer {{secret.CRM_TOKEN}}', 'x-static': 'yes' },
          signingSecret: 'ORDERS_KEY',
        }),
        tool('stock', { method: 'GET' }),
        tool('needs_secret', { headers: { 'x-key': '{{ secret.NOT_STORED }}' } }),
      ],
    });
    await app.tenant.secrets.put('CRM_TOKEN', 'crm-secret-value');
    await app.tenant.secrets.put('ORDERS_KEY', 'orders-signing-key');
  });
  after(() => {
    endpoint.closeAllConnections();
    endpoint.close();
  });

  const run = (callId: string, name: string, args: unknown) =>
    post<{ result?: unknown; error?: { code: string; message: string } }>(
      `/internal/calls/${callId}/tools/${name}`,
      { args },
    );

  test('when the endpoint answers JSON, then the signed POST carries args and call, the result comes back', async () => {
    const call = await newCall('tooled');
    received.length = 0;
    answer = (_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ status: 'shipped', eta: 'tomorrow' }));
    };
    const res = await run(call.id, 'order_status', { orderId: 'A-17' });

    assert.deepEqual(
      [res.status, res.body],
      [200, { result: { status: 'shipped', eta: 'tomorrow' } }],
    );
    const [req] = received;
    assert.ok(req);
    assert.equal(req.method, 'POST');
    assert.equal(req.url, '/order_status');
    assert.deepEqual(JSON.parse(req.body), {
      args: { orderId: 'A-17' },
      call: { id: call.id, personaId: 'tooled', channel: 'web' },
    });
    assert.equal(req.headers.authorization, 'Bearer crm-secret-value');
    assert.equal(req.headers['x-static'], 'yes');
    const signature = String(req.headers['parley-signature']);
    assert.equal(verifyWebhookSignature('orders-signing-key', signature, req.body), true);
    assert.equal(verifyWebhookSignature('another-key', signature, req.body), false);
  });

  test('when a GET tool runs without a signing key, then args go in the query and a key is made', async () => {
    const call = await newCall('tooled');
    received.length = 0;
    answer = (_req, res) => res.end('3 in stock');
    const res = await run(call.id, 'stock', { sku: 'X 1', sizes: [40, 41] });

    assert.deepEqual([res.status, res.body], [200, { result: '3 in stock' }]);
    const [req] = received;
    assert.equal(req?.method, 'GET');
    const url = new URL(req?.url ?? '', origin);
    assert.deepEqual(Object.fromEntries(url.searchParams), { sku: 'X 1', sizes: '[40,41]' });
    const key = await app.tenant.secrets.reveal('TOOL_SIGNING_KEY');
    assert.ok(key, 'a signing key was created');
    assert.equal(verifyWebhookSignature(key, String(req?.headers['parley-signature']), ''), true);
  });

  test('when the answer is larger than 8 KB, then the text is cut at 8 KB', async () => {
    const call = await newCall('tooled');
    answer = (_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(`"${'x'.repeat(20_000)}"`);
    };
    const res = await run(call.id, 'stock', {});
    assert.equal(res.status, 200);
    assert.equal(typeof res.body.result, 'string');
    assert.equal((res.body.result as string).length, 8 * 1024);
  });

  test('when the endpoint fails, redirects or hangs, then 502 tool_failed or 504 tool_timeout', async () => {
    const call = await newCall('tooled');
    answer = (_req, res) => {
      res.statusCode = 503;
      res.end('maintenance window');
    };
    const failed = await run(call.id, 'stock', {});
    answer = (_req, res) => {
      res.statusCode = 302;
      res.setHeader('location', `${origin}/elsewhere`);
      res.end();
    };
    received.length = 0;
    const redirected = await run(call.id, 'stock', {});
    const redirectsFollowed = received.filter((r) => r.url.startsWith('/elsewhere')).length;
    answer = () => undefined;
    const hung = await run(call.id, 'stock', {});

    assert.deepEqual(
      [
        failed.status,
        failed.body.error?.code,
        redirected.status,
        hung.status,
        hung.body.error?.code,
      ],
      [502, 'tool_failed', 502, 504, 'tool_timeout'],
    );
    assert.match(failed.body.error?.message ?? '', /HTTP 503: maintenance window/);
    assert.match(redirected.body.error?.message ?? '', /HTTP 302/);
    assert.equal(redirectsFollowed, 0);
  });

  test('when the tool is unknown or its secret missing, then 404 or 409 without leaking values', async () => {
    const call = await newCall('tooled');
    const unknown = await run(call.id, 'nope', {});
    received.length = 0;
    const missing = await run(call.id, 'needs_secret', {});

    assert.deepEqual(
      [unknown.status, unknown.body.error?.code, missing.status, missing.body.error?.code],
      [404, 'tool_not_found', 409, 'secret_missing'],
    );
    assert.match(missing.body.error?.message ?? '', /NOT_STORED/);
    assert.equal(received.length, 0, 'nothing was sent');
  });
});
