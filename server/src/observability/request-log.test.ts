import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadConfig, ConfigError } from '../config.js';
import { ADMIN_KEY, AGENT_KEY, asAdmin, asAgent } from '../../test/test-app.js';
import { createLogger } from './logger.js';
import {
  livekitWebhook,
  startObservedApp,
  type ObservedApp,
  type LogLine,
} from '../../test/observed-test-app.js';

let app: ObservedApp;
let widgetDist = '';
before(async () => {
  widgetDist = await mkdtemp(path.join(os.tmpdir(), 'parley-widget-'));
  await writeFile(path.join(widgetDist, 'parley.js'), 'export {};');
  app = await startObservedApp({
    widgetDist,
    afterLivekitEvent: (event) => {
      if (event.event === 'track_published') throw new Error('handler exploded');
    },
  });
});
after(async () => {
  await app.stop();
  await rm(widgetDist, { recursive: true, force: true });
});

/** The request line of the request that answered with this id. */
function requestLine(reqId: string | null): LogLine {
  const line = app.logs.find((l) => l.reqId === reqId && typeof l.status === 'number');
  assert.ok(line, `no request line for ${reqId}`);
  return line;
}

/** The request line is written once the response is done: give the event loop a turn. */
const settled = () => new Promise((resolve) => setImmediate(resolve));

async function agentPost(path: string, body: unknown): Promise<Response> {
  const res = await fetch(`${app.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...asAgent },
    body: JSON.stringify(body),
  });
  await settled();
  return res;
}

describe('request lines', () => {
  test('each request gets one line with method, route, path, status, duration and request id', async () => {
    const res = await fetch(`${app.url}/v1/personas/default`, { headers: asAdmin });
    assert.equal(res.status, 200);
    await settled();
    const reqId = res.headers.get('x-request-id');
    assert.match(reqId ?? '', /^[0-9a-f-]{36}$/);
    const lines = app.logs.filter((l) => l.reqId === reqId);
    assert.equal(lines.length, 1);
    const [line] = lines;
    assert.equal(line?.level, 'info');
    assert.equal(line?.method, 'GET');
    assert.equal(line?.route, '/v1/personas/:id');
    assert.equal(line?.path, '/v1/personas/default');
    assert.equal(line?.status, 200);
    assert.equal(typeof line?.ms, 'number');
    assert.equal(typeof line?.time, 'string');
  });

  test('a static file is logged with its full path, under no route pattern', async () => {
    const res = await fetch(`${app.url}/widget/parley.js`);
    assert.equal(res.status, 200);
    await settled();
    const line = requestLine(res.headers.get('x-request-id'));
    assert.equal(line.path, '/widget/parley.js');
    assert.equal(line.route, '(other)');
  });

  test("a proxy's request id is kept; one that could forge a log line is replaced", async () => {
    const kept = await fetch(`${app.url}/livez`, { headers: { 'x-request-id': 'edge-42.a' } });
    assert.equal(kept.headers.get('x-request-id'), 'edge-42.a');
    const forged = await fetch(`${app.url}/livez`, { headers: { 'x-request-id': 'a"b c' } });
    assert.notEqual(forged.headers.get('x-request-id'), 'a"b c');
  });

  test('probes are logged at debug, even "not ready"; error answers at info with their code', async () => {
    const probe = await fetch(`${app.url}/livez`);
    const starting = await fetch(`${app.url}/healthz`);
    assert.equal(starting.status, 503);
    const refused = await fetch(`${app.url}/internal/workers/heartbeat`, { method: 'POST' });
    await settled();
    assert.equal(requestLine(probe.headers.get('x-request-id')).level, 'debug');
    assert.equal(requestLine(starting.headers.get('x-request-id')).level, 'debug');
    const line = requestLine(refused.headers.get('x-request-id'));
    assert.equal(line.level, 'info');
    assert.equal(line.status, 401);
    assert.equal(line.errorCode, 'unauthorized');
  });

  test('an internal error is logged at error level with its stack, and answered without it', async () => {
    const webhook = await livekitWebhook({ event: 'track_published', id: 'EV_boom' });
    const res = await fetch(`${app.url}/webhooks/livekit`, { method: 'POST', ...webhook });
    assert.equal(res.status, 500);
    assert.doesNotMatch(await res.text(), /exploded/);
    await settled();
    const line = requestLine(res.headers.get('x-request-id'));
    assert.equal(line.level, 'error');
    const err = line.err as { message?: string; stack?: string } | undefined;
    assert.equal(err?.message, 'handler exploded');
    assert.match(err?.stack ?? '', /request-log\.test\.ts/);
  });
});

describe('call context', () => {
  test('every line of a call-scoped request carries the call id, and the room once known', async () => {
    const created = await agentPost('/internal/calls', {
      personaId: 'default',
      channel: 'web',
      roomName: 'room-log-1',
    });
    assert.equal(created.status, 201);
    const { id: callId } = (await created.json()) as { id: string };
    const createId = created.headers.get('x-request-id');
    const createLines = app.logs.filter((l) => l.reqId === createId);
    assert.deepEqual(createLines.map((l) => l.msg).sort(), [
      'POST /internal/calls 201',
      'call started',
    ]);
    for (const line of createLines) {
      assert.equal(line.callId, callId);
      assert.equal(line.roomName, 'room-log-1');
    }

    const turn = await agentPost(`/internal/calls/${callId}/turns`, {
      key: 'room-log-1:1',
      turn: { agentText: 'hello' },
    });
    assert.equal(requestLine(turn.headers.get('x-request-id')).callId, callId);

    const closed = await agentPost(`/internal/calls/${callId}/close`, { outcome: 'completed' });
    const closeLines = app.logs.filter((l) => l.reqId === closed.headers.get('x-request-id'));
    assert.equal(closeLines.length, 2);
    for (const line of closeLines) assert.equal(line.callId, callId);
    assert.equal(closeLines.find((l) => l.msg === 'call ended')?.outcome, 'completed');

    const read = await fetch(`${app.url}/v1/calls/${callId}`, { headers: asAdmin });
    await settled();
    const readLine = requestLine(read.headers.get('x-request-id'));
    assert.equal(readLine.callId, callId);
    assert.equal(readLine.roomName, 'room-log-1');
  });

  test("a LiveKit webhook's lines name the room and the call it carries", async () => {
    const created = await agentPost('/internal/calls', {
      personaId: 'default',
      channel: 'web',
      roomName: 'room-log-2',
    });
    const { id: callId } = (await created.json()) as { id: string };
    const webhook = await livekitWebhook({
      event: 'room_finished',
      id: 'EV_log_2',
      room: { name: 'room-log-2' },
    });
    const res = await fetch(`${app.url}/webhooks/livekit`, { method: 'POST', ...webhook });
    assert.equal(res.status, 204);
    await settled();
    const lines = app.logs.filter((l) => l.reqId === res.headers.get('x-request-id'));
    // The event itself, the provisional close, its "call ended", and the request line.
    assert.ok(lines.length >= 3, JSON.stringify(lines));
    for (const line of lines) {
      assert.equal(line.callId, callId, JSON.stringify(line));
      assert.equal(line.roomName, 'room-log-2');
    }
  });
});

describe('what is never logged', () => {
  test('no key, token, header, query string or body value reaches a log line', async () => {
    const secretValue = 'body-secret-value-7f3a';
    await fetch(`${app.url}/v1/personas?token=query-token-value`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...asAdmin },
      body: JSON.stringify({ id: 'x', name: secretValue }),
    });
    await fetch(`${app.url}/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: 'session=cookie-value' },
      body: JSON.stringify({ persona: 'default', embedKey: secretValue }),
    });
    await agentPost('/internal/workers/heartbeat', { agentName: 'parley', workerId: 'w1' });
    app.logger.info({ authorization: `Bearer ${ADMIN_KEY}`, nested: { secret: 's3' } }, 'oops');
    await settled();
    const all = app.rawLogs.join('');
    for (const value of [
      ADMIN_KEY,
      AGENT_KEY,
      secretValue,
      'query-token-value',
      'cookie-value',
      's3"',
    ]) {
      assert.ok(!all.includes(value), `${value} was logged`);
    }
  });

  test('PARLEY_LOG_LEVEL sets the level; a bad value stops start-up naming it', () => {
    const base = {
      LIVEKIT_API_KEY: 'APIx',
      LIVEKIT_API_SECRET: 'x'.repeat(32),
      PARLEY_ADMIN_KEY: 'a'.repeat(16),
      PARLEY_AGENT_KEY: 'b'.repeat(16),
      PARLEY_SECRETS_KEY: 'c'.repeat(43),
    };
    assert.equal(loadConfig(base).PARLEY_LOG_LEVEL, 'info');
    assert.equal(loadConfig({ ...base, PARLEY_LOG_LEVEL: 'debug' }).PARLEY_LOG_LEVEL, 'debug');
    assert.throws(
      () => loadConfig({ ...base, PARLEY_LOG_LEVEL: 'loud' }),
      (err: unknown) => err instanceof ConfigError && /PARLEY_LOG_LEVEL/.test(err.message),
    );
    const lines: string[] = [];
    const logger = createLogger({
      level: 'warn',
      destination: { write: (l) => void lines.push(l) },
    });
    logger.info('quiet');
    logger.warn('heard');
    assert.deepEqual(
      lines.map((l) => (JSON.parse(l) as LogLine).msg),
      ['heard'],
    );
  });
});
