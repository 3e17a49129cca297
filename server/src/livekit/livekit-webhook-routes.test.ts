import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import express from 'express';
import { AccessToken } from 'livekit-server-sdk';
import { errorHandler } from '../http/api-error.js';
import type { Queryable } from '../storage/database.js';
import { forEachBackend, openReplicas } from '../../test/test-backends.js';
import { livekitWebhookRoutes } from './livekit-webhook-routes.js';

const API_KEY = 'APIwebhooktests';
const API_SECRET = 'webhook-tests-secret-webhook-tests-0123';

const stops: (() => Promise<void>)[] = [];
after(() => Promise.all(stops.splice(0).map((stop) => stop())));

interface Replica {
  url: string;
  /** Event ids this replica passed on to its handler. */
  handled: string[];
}

/** One server replica's LiveKit webhook route, on `db`, served on a free loopback port. */
async function replica(db: Queryable, now: () => number = Date.now): Promise<Replica> {
  const handled: string[] = [];
  const app = express();
  app.use(
    livekitWebhookRoutes({
      db,
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      maxAgeMs: 60_000,
      now,
      onEvent: (event) => void handled.push(event.id),
    }),
  );
  app.use(errorHandler);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  stops.push(() => new Promise((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, handled };
}

/** A `room_finished` event as livekit-server signs it. */
async function signedEvent(id: string, createdMs = Date.now()) {
  const body = JSON.stringify({
    event: 'room_finished',
    id,
    createdAt: Math.floor(createdMs / 1000),
    room: { name: 'web_replicas' },
  });
  const token = new AccessToken(API_KEY, API_SECRET);
  token.sha256 = createHash('sha256').update(body).digest('base64');
  return { body, authorization: await token.toJwt() };
}

interface ErrorBody {
  error: { code: string };
}

async function send(to: Replica, event: { body: string; authorization: string }) {
  const res = await fetch(`${to.url}/webhooks/livekit`, {
    method: 'POST',
    headers: { 'content-type': 'application/webhook+json', authorization: event.authorization },
    body: event.body,
  });
  const text = await res.text();
  return { status: res.status, code: text ? (JSON.parse(text) as ErrorBody).error.code : '' };
}

forEachBackend((backend) => {
  test('when an event is sent again to another server replica, then it is refused there with 409 and handled once', async () => {
    const [one, two] = await openReplicas(backend);
    const first = await replica(one.db);
    const second = await replica(two.db);
    const a = await signedEvent('EV_replica_a');
    const b = await signedEvent('EV_replica_b');

    assert.deepEqual(await send(first, a), { status: 204, code: '' });
    assert.deepEqual(await send(second, a), { status: 409, code: 'conflict' });
    assert.deepEqual(await send(second, b), { status: 204, code: '' });
    assert.deepEqual(await send(first, b), { status: 409, code: 'conflict' });
    // LiveKit retrying while its first attempt is still in flight, each to another replica.
    const racing = await signedEvent('EV_replica_race');
    const statuses = await Promise.all([send(first, racing), send(second, racing)]);
    assert.deepEqual(statuses.map((s) => s.status).sort(), [204, 409]);
    assert.deepEqual(
      [...first.handled, ...second.handled].sort(),
      ['EV_replica_a', 'EV_replica_b', 'EV_replica_race'],
      'each event reaches the handler once, whichever replica took it',
    );
  });

  test('when the replay window has passed, then the ids received before it are deleted', async () => {
    const [one] = await openReplicas(backend);
    let now = Date.now();
    const route = await replica(one.db, () => now);
    assert.equal((await send(route, await signedEvent('EV_old', now))).status, 204);
    now += 60_001;
    assert.equal((await send(route, await signedEvent('EV_new', now))).status, 204);
    const rows = await one.db.query<{ event_id: string }>(
      'SELECT event_id FROM livekit_webhook_events ORDER BY event_id',
    );
    assert.deepEqual(
      rows.map((r) => r.event_id),
      ['EV_new'],
    );
  });
});
