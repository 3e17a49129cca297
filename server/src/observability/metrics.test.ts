import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebhookSender } from '../webhooks/webhook-sender.js';
import { LOOPBACK_RANGES, OutgoingGuard } from '../http/outgoing-guard.js';
import { ADMIN_KEY, AGENT_KEY, asAdmin, asAgent } from '../../test/test-app.js';
import { meteredWebhookQueue } from './metered-webhook-queue.js';
import { isLoopback } from './metrics-routes.js';
import {
  livekitWebhook,
  startObservedApp,
  type ObservedApp,
} from '../../test/observed-test-app.js';

let app: ObservedApp;
before(async () => {
  app = await startObservedApp();
});
after(() => app.stop());

async function scrape(headers: Record<string, string> = {}): Promise<string> {
  const res = await fetch(`${app.url}/metrics`, { headers });
  assert.equal(res.status, 200, await res.clone().text());
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  return res.text();
}

/** The value of one series (`name{label="value",…}`) in a scrape; undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const agent = (path: string, body: unknown) =>
  fetch(`${app.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...asAgent },
    body: JSON.stringify(body),
  });

async function startCall(roomName: string): Promise<string> {
  const res = await agent('/internal/calls', { personaId: 'default', channel: 'web', roomName });
  assert.equal(res.status, 201);
  return ((await res.json()) as { id: string }).id;
}

describe('GET /metrics access', () => {
  test('when the scraper is on loopback, then no credential is needed', async () => {
    const text = await scrape();
    assert.match(text, /^# TYPE parley_http_requests_total counter$/m);
    assert.match(text, /^process_cpu_user_seconds_total /m);
  });

  test('when a proxy on loopback forwards a remote client, then the admin key is required', async () => {
    const forwarded = { 'x-forwarded-for': '203.0.113.9' };
    const refused = await fetch(`${app.url}/metrics`, { headers: forwarded });
    assert.equal(refused.status, 401);
    const wrongKey = await fetch(`${app.url}/metrics`, {
      headers: { ...forwarded, authorization: `Bearer ${AGENT_KEY}` },
    });
    assert.equal(wrongKey.status, 401);
    await scrape({ ...forwarded, authorization: `Bearer ${ADMIN_KEY}` });
  });

  test('loopback means 127.0.0.0/8 and ::1, also IPv4-mapped', () => {
    for (const address of ['127.0.0.1', '127.3.2.1', '::1', '::ffff:127.0.0.1']) {
      assert.equal(isLoopback(address), true, address);
    }
    for (const address of ['10.0.0.1', '::ffff:10.0.0.1', '::2', '1270.0.0.1', '', undefined]) {
      assert.equal(isLoopback(address), false, String(address));
    }
  });
});

describe('call metrics', () => {
  test('a call counts as active until it ends; turns and their stage latencies are observed once', async () => {
    const before = await scrape();
    const activeBefore = sample(before, 'parley_active_calls') ?? NaN;
    const turnsBefore = sample(before, 'parley_turns_total') ?? NaN;
    const e2eBefore = sample(before, 'parley_turn_latency_seconds_count{stage="e2e"}') ?? 0;

    const callId = await startCall('room-metrics-1');
    assert.equal(sample(await scrape(), 'parley_active_calls'), activeBefore + 1);

    const turn = {
      key: 'room-metrics-1:r:1',
      turn: {
        userText: 'hello',
        agentText: 'hi',
        timings: { endOfTurnMs: 250, e2eMs: 900, somethingElseMs: 5 },
      },
    };
    assert.equal((await agent(`/internal/calls/${callId}/turns`, turn)).status, 201);
    // A retried append stores nothing new and is not counted again.
    assert.equal((await agent(`/internal/calls/${callId}/turns`, turn)).status, 200);
    const second = {
      key: 'room-metrics-1:r:2',
      turn: { agentText: 'bye', timings: { e2eMs: 2100 } },
    };
    assert.equal((await agent(`/internal/calls/${callId}/turns`, second)).status, 201);
    const closed = await agent(`/internal/calls/${callId}/close`, { outcome: 'completed' });
    assert.equal(closed.status, 200);

    const text = await scrape();
    assert.equal(sample(text, 'parley_active_calls'), activeBefore);
    assert.equal(sample(text, 'parley_turns_total'), turnsBefore + 2);
    assert.equal(sample(text, 'parley_turn_latency_seconds_count{stage="e2e"}'), e2eBefore + 2);
    assert.equal(
      sample(text, 'parley_turn_latency_seconds_bucket{le="1",stage="e2e"}'),
      e2eBefore + 1,
    );
    assert.equal(sample(text, 'parley_turn_latency_seconds_count{stage="end_of_turn"}'), 1);
    assert.equal(sample(text, 'parley_turn_latency_seconds_sum{stage="end_of_turn"}'), 0.25);
    assert.doesNotMatch(text, /somethingElse/);
    assert.equal(sample(text, 'parley_calls_total{channel="web",outcome="completed"}'), 1);
  });

  test('a call LiveKit closed first, and the agent closed later, is counted once, as the agent closed it', async () => {
    const failed = 'parley_calls_total{channel="web",outcome="failed"}';
    const completed = 'parley_calls_total{channel="web",outcome="completed"}';
    const completedBefore = sample(await scrape(), completed) ?? 0;
    const callId = await startCall('room-metrics-2');
    await roomFinished(app, 'room-metrics-2', 'EV_metrics_2');
    // LiveKit's close is provisional: not counted while the agent's may still come.
    assert.equal(sample(await scrape(), failed), undefined);

    const late = await agent(`/internal/calls/${callId}/close`, { outcome: 'completed' });
    assert.equal(late.status, 200);
    const text = await scrape();
    assert.equal(sample(text, failed), undefined);
    assert.equal(sample(text, completed), completedBefore + 1);
    // A repeated close changes nothing and counts nothing.
    assert.equal(
      (await agent(`/internal/calls/${callId}/close`, { outcome: 'completed' })).status,
      200,
    );
    assert.equal(sample(await scrape(), completed), completedBefore + 1);
  });

  test('a call only LiveKit closed is counted once, as failed, when its grace has passed', async () => {
    const quick = await startObservedApp({ provisionalGraceMs: 50 });
    try {
      const failed = 'parley_calls_total{channel="web",outcome="failed"}';
      const start = await fetch(`${quick.url}/internal/calls`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...asAgent },
        body: JSON.stringify({ personaId: 'default', channel: 'web', roomName: 'room-metrics-3' }),
      });
      assert.equal(start.status, 201);
      await roomFinished(quick, 'room-metrics-3', 'EV_metrics_3');
      await roomFinished(quick, 'room-metrics-3', 'EV_metrics_3b');
      const scrapeQuick = async () => (await fetch(`${quick.url}/metrics`)).text();
      while (sample(await scrapeQuick(), failed) === undefined) await sleep(20);
      await sleep(200);
      assert.equal(sample(await scrapeQuick(), failed), 1);
    } finally {
      await quick.stop();
    }
  });
});

/** LiveKit's `room_finished` for `roomName`, signed, delivered to `target`. */
async function roomFinished(target: ObservedApp, roomName: string, id: string): Promise<void> {
  const webhook = await livekitWebhook({ event: 'room_finished', id, room: { name: roomName } });
  const res = await fetch(`${target.url}/webhooks/livekit`, { method: 'POST', ...webhook });
  assert.equal(res.status, 204);
}

describe('HTTP metrics', () => {
  test('requests are counted by route pattern, error answers by code', async () => {
    const admin = asAdmin;
    const missing = await fetch(`${app.url}/v1/calls/call_nope`, { headers: admin });
    assert.equal(missing.status, 404);
    // Refused before any route runs: still counted under the route it was meant for.
    const unauthorized = await fetch(`${app.url}/v1/personas/anyone`);
    assert.equal(unauthorized.status, 401);
    assert.equal((await fetch(`${app.url}/no/such/thing`)).status, 404);
    const preflight = await fetch(`${app.url}/v1/sessions`, {
      method: 'OPTIONS',
      headers: { origin: 'https://shop.example' },
    });
    assert.equal(preflight.status, 204);

    const text = await scrape();
    const requests = (method: string, route: string, status: number) =>
      sample(
        text,
        `parley_http_requests_total{method="${method}",route="${route}",status="${status}"}`,
      );
    assert.equal(requests('GET', '/v1/calls/:id', 404), 1);
    assert.equal(requests('GET', '/v1/personas/:id', 401), 1);
    assert.equal(requests('GET', '(unmatched)', 404), 1);
    assert.equal(requests('OPTIONS', '(other)', 204), 1);
    assert.doesNotMatch(text, /call_nope|no\/such/);
    assert.ok((sample(text, 'parley_api_errors_total{code="not_found"}') ?? 0) >= 2);
    assert.ok((sample(text, 'parley_api_errors_total{code="unauthorized"}') ?? 0) >= 1);
  });

  test('two apps in one process keep separate registries', async () => {
    const other = await startObservedApp();
    try {
      await fetch(`${other.url}/livez`);
      await fetch(`${other.url}/livez`);
      const otherText = await (await fetch(`${other.url}/metrics`)).text();
      const series = 'parley_http_requests_total{method="GET",route="/livez",status="200"}';
      assert.equal(sample(otherText, series), 2);
      assert.equal(sample(await scrape(), series), undefined);
    } finally {
      await other.stop();
    }
  });
});

describe('webhook delivery metrics', () => {
  let receiver: Server;
  let answers: number[] = [];
  before(async () => {
    receiver = createServer((_req, res) => res.writeHead(answers.shift() ?? 200).end());
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  });
  after(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

  test('delivered and failed attempts are counted; a failure is logged without the endpoint', async () => {
    const { port } = receiver.address() as AddressInfo;
    const url = `http://127.0.0.1:${port}/hook?token=endpoint-token-value`;
    await app.tenant.webhooks.createEndpoint({ url, events: ['call.started'] });
    answers = [200, 500];
    await startCall('room-metrics-3');
    await startCall('room-metrics-4');
    const sender = new WebhookSender({
      queue: meteredWebhookQueue(app.storage.webhookQueue, app.metrics, app.logger),
      outgoing: new OutgoingGuard({ allow: LOOPBACK_RANGES }),
    });
    assert.equal(await sender.tick(), 1);

    const text = await scrape();
    assert.equal(sample(text, 'parley_webhook_deliveries_total{status="delivered"}'), 1);
    assert.equal(sample(text, 'parley_webhook_deliveries_total{status="retrying"}'), 1);
    const failure = app.logs.find((l) => l.msg === 'webhook delivery failed; will retry');
    assert.equal(failure?.statusCode, 500);
    assert.equal(failure?.eventType, 'call.started');
    assert.ok(!app.rawLogs.some((l) => l.includes('endpoint-token-value')));
  });
});
