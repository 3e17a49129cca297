import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { asAgent, request, startTestApp, type TestApp } from '../../test/test-app.js';
import { sipHealthCheck } from './sip-health.js';

interface Health {
  status: string;
  checks: Record<string, string>;
}

/** Stands in for livekit-sip's health port: answers whatever status `answer` holds. */
let bridge: Server;
let answer = 200;
let bridgeUrl = '';

before(async () => {
  bridge = createServer((_req, res) => res.writeHead(answer).end(answer === 200 ? 'OK' : ''));
  await new Promise<void>((resolve) => bridge.listen(0, '127.0.0.1', resolve));
  bridgeUrl = `http://127.0.0.1:${(bridge.address() as AddressInfo).port}/`;
});
after(async () => {
  await new Promise<void>((resolve) => bridge.close(() => resolve()));
});

describe('/healthz and livekit-sip', () => {
  let configured: TestApp;
  let unconfigured: TestApp;
  let unreachable: TestApp;
  // A worker heard from just now: only the bridge decides readiness here.
  const health = async (app: TestApp, path = '/healthz') => {
    const beat = { agentName: 'parley', workerId: 'worker-1' };
    const beaten = await request(`${app.url}/internal/workers/heartbeat`, 'POST', beat, asAgent);
    assert.equal(beaten.status, 204);
    return request<Health>(`${app.url}${path}`, 'GET');
  };

  before(async () => {
    configured = await startTestApp(() => ({ sipReady: sipHealthCheck(bridgeUrl) }));
    unconfigured = await startTestApp();
    // Nothing listens on port 9.
    unreachable = await startTestApp(() => ({ sipReady: sipHealthCheck('http://127.0.0.1:9/') }));
  });
  after(async () => {
    await Promise.all([configured.stop(), unconfigured.stop(), unreachable.stop()]);
  });

  test('when livekit-sip answers, then the server is ready and says the bridge is ok', async () => {
    answer = 200;
    const res = await health(configured);
    assert.equal(res.status, 200);
    assert.equal(res.body.checks.sip, 'ok');
  });

  test('when livekit-sip refuses calls for load or is down, then the server is not ready', async () => {
    answer = 429;
    const busy = await health(configured, '/readyz');
    assert.deepEqual([busy.status, busy.body.checks.sip], [503, 'unreachable']);
    const down = await health(unreachable);
    assert.deepEqual(
      [down.status, down.body.status, down.body.checks.sip],
      [503, 'starting', 'unreachable'],
    );
    assert.equal(down.body.checks.livekit, 'ok', 'only the bridge is named');
  });

  test('without PARLEY_SIP_HEALTH_URL, the bridge is not configured and does not hold readiness back', async () => {
    const res = await health(unconfigured);
    assert.equal(res.status, 200);
    assert.equal(res.body.checks.sip, 'not configured');
  });
});
