import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createHash } from 'node:crypto';
import { AccessToken, TokenVerifier } from 'livekit-server-sdk';
import { DispatchMetadataSchema, type SessionResponse } from '@parley/contracts';
import { Storage } from './storage/index.js';
import { pglite } from '../test/test-backends.js';
import {
  ADMIN_KEY as ADMIN,
  AGENT_KEY as AGENT,
  LIVEKIT_API_KEY as API_KEY,
  LIVEKIT_API_SECRET as API_SECRET,
  serveApp,
  startTestApp,
  testDeps,
} from '../test/test-app.js';

let base = '';
let storage: Storage;
let tenantId = '';
let livekitUp = true;
const livekitEvents: string[] = [];
let close: () => Promise<void>;

before(async () => {
  storage = await Storage.open(await pglite.fresh());
  tenantId = (await storage.ensureDefaultTenant()).id;
  const started = await serveApp(
    testDeps(storage, tenantId, {
      livekitReady: async () => livekitUp,
      onLivekitEvent: (event) => {
        livekitEvents.push(event.event);
      },
      sessionRatePerMinute: 1000,
      personaSessionRatePerMinute: 1000,
    }),
  );
  base = started.url;
  close = started.stop;
});

after(async () => {
  await close();
  await storage.close();
});

function post(route: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${base}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function errorCode(res: Response): Promise<string> {
  const body = (await res.json()) as { error: { code: string; message: string } };
  assert.equal(typeof body.error.message, 'string');
  return body.error.code;
}

describe('POST /v1/sessions', () => {
  test('when the persona exists, then a least-privilege token dispatching the agent is issued', async () => {
    const res = await post(
      '/v1/sessions',
      { persona: 'default', visitor: { name: 'Ada' }, variables: { plan: 'pro' } },
      { origin: base },
    );
    assert.equal(res.status, 201);
    const session = (await res.json()) as SessionResponse;
    assert.equal(session.serverUrl, 'ws://127.0.0.1:7880');
    assert.match(session.roomName, /^web_[\w-]{22}$/);
    const expiresIn = Date.parse(session.expiresAt) - Date.now();
    assert.ok(expiresIn > 590_000 && expiresIn <= 600_000, `expires in ${expiresIn} ms`);

    const claims = await new TokenVerifier(API_KEY, API_SECRET).verify(session.token);
    assert.equal(claims.sub, session.identity);
    assert.equal(claims.video?.room, session.roomName);
    assert.equal(claims.video?.roomJoin, true);
    assert.equal(claims.video?.roomAdmin, undefined);
    assert.equal(claims.video?.canUpdateOwnMetadata, false);
    assert.deepEqual(claims.video?.canPublishSources, ['microphone']);
    const dispatch = claims.roomConfig?.agents[0];
    assert.equal(dispatch?.agentName, 'parley');
    const metadata = DispatchMetadataSchema.parse(JSON.parse(dispatch?.metadata ?? ''));
    assert.deepEqual(metadata, {
      personaId: 'default',
      channel: 'web',
      visitor: { name: 'Ada' },
      variables: { plan: 'pro' },
    });
  });

  test('when two sessions are issued, then their rooms and identities differ', async () => {
    const [a, b] = await Promise.all(
      [1, 2].map(
        async () =>
          (await (await post('/v1/sessions', { persona: 'default' })).json()) as SessionResponse,
      ),
    );
    assert.notEqual(a?.roomName, b?.roomName);
    assert.notEqual(a?.identity, b?.identity);
  });

  test('when the origin is not allowed, then the session is refused with 403', async () => {
    const res = await post(
      '/v1/sessions',
      { persona: 'default' },
      { origin: 'https://evil.example' },
    );
    assert.equal(res.status, 403);
    assert.equal(await errorCode(res), 'origin_not_allowed');
  });

  test('when the persona is unknown, then 404 persona_not_found', async () => {
    const res = await post('/v1/sessions', { persona: 'nobody' });
    assert.equal(res.status, 404);
    assert.equal(await errorCode(res), 'persona_not_found');
  });

  test('when the body is malformed JSON or of the wrong shape, then 400 invalid_request', async () => {
    for (const body of [
      '{"persona":',
      '[]',
      { persona: 42 },
      { persona: 'default', variables: 'x' },
    ]) {
      const res = await post('/v1/sessions', body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(await errorCode(res), 'invalid_request');
    }
  });
});

describe('admin personas', () => {
  const admin = { authorization: `Bearer ${ADMIN}` };

  test('without the admin key, then 401', async () => {
    const res = await fetch(`${base}/v1/personas`);
    assert.equal(res.status, 401);
    assert.equal(await errorCode(res), 'unauthorized');
    const wrong = await fetch(`${base}/v1/personas`, { headers: { authorization: 'Bearer nope' } });
    assert.equal(wrong.status, 401);
  });

  test('the default persona exists out of the box with knowledge entries', async () => {
    const res = await fetch(`${base}/v1/personas/default`, { headers: admin });
    assert.equal(res.status, 200);
    const persona = (await res.json()) as { greeting: string; knowledge: unknown[] };
    assert.ok(persona.greeting.length > 0);
    assert.ok(persona.knowledge.length >= 3);
  });

  test('a created persona can be replaced and listed; a duplicate id is a conflict', async () => {
    const created = await post(
      '/v1/personas',
      { id: 'sales', name: 'Sam', greeting: 'Hi, Sam here.', instructions: 'Sell.' },
      admin,
    );
    assert.equal(created.status, 201);
    const duplicate = await post(
      '/v1/personas',
      { id: 'sales', name: 'Sam', greeting: 'Hi.', instructions: '' },
      admin,
    );
    assert.equal(duplicate.status, 409);
    const replaced = await fetch(`${base}/v1/personas/sales`, {
      method: 'PUT',
      headers: { ...admin, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Samantha', greeting: 'Hello.', instructions: 'Sell.' }),
    });
    assert.equal(replaced.status, 200);
    const list = (await (await fetch(`${base}/v1/personas`, { headers: admin })).json()) as {
      data: { id: string; name: string }[];
    };
    assert.deepEqual(
      list.data.map((p) => [p.id, p.name]),
      [
        ['default', 'Parley'],
        ['sales', 'Samantha'],
      ],
    );
  });

  test('replacing an unknown persona is 404 and an invalid one is 400', async () => {
    const unknown = await fetch(`${base}/v1/personas/ghost`, {
      method: 'PUT',
      headers: { ...admin, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'G', greeting: 'Boo', instructions: '' }),
    });
    assert.equal(unknown.status, 404);
    const invalid = await post('/v1/personas', { id: 'Bad Id', name: '' }, admin);
    assert.equal(invalid.status, 400);
    assert.equal(await errorCode(invalid), 'invalid_request');
  });
});

describe('internal routes and health', () => {
  const agent = { authorization: `Bearer ${AGENT}` };

  test('the agent credential reads personas; the admin key does not open internal routes', async () => {
    assert.equal(
      (await fetch(`${base}/internal/personas/default`, { headers: agent })).status,
      200,
    );
    const withAdmin = await fetch(`${base}/internal/personas/default`, {
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    assert.equal(withAdmin.status, 401);
  });

  test('healthz is 503 until a worker heartbeats and livekit answers, then 200', async () => {
    const before = await fetch(`${base}/healthz`);
    assert.equal(before.status, 503);
    const beat = await post(
      '/internal/workers/heartbeat',
      { agentName: 'parley', workerId: 'W1', pid: 1 },
      agent,
    );
    assert.equal(beat.status, 204);
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
    livekitUp = false;
    const down = await fetch(`${base}/healthz`);
    assert.equal(down.status, 503);
    assert.equal(
      ((await down.json()) as { checks: { livekit: string } }).checks.livekit,
      'unreachable',
    );
    livekitUp = true;
  });

  test('an unknown route answers a typed 404', async () => {
    const res = await fetch(`${base}/nope`);
    assert.equal(res.status, 404);
    assert.equal(await errorCode(res), 'not_found');
  });
});

describe('rate limit', () => {
  // A database of its own for each limited app: the counters are in the database, and every app
  // on one database counts against them (as every server replica does).
  test('when a persona gets more sessions per minute than its cap, then 429 for everyone', async () => {
    const limited = await startTestApp(() => ({ personaSessionRatePerMinute: 2 }));
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await fetch(`${limited.url}/v1/sessions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ persona: 'default' }),
        });
        statuses.push(res.status);
      }
      assert.deepEqual(statuses, [201, 201, 429]);
    } finally {
      await limited.stop();
    }
  });

  test('when one address asks more than its limit per minute, then 429 rate_limited', async () => {
    const limited = await startTestApp(() => ({ sessionRatePerMinute: 3 }));
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await fetch(`${limited.url}/v1/sessions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ persona: 'default' }),
        });
        statuses.push(res.status);
        if (res.status === 429) assert.equal(await errorCode(res), 'rate_limited');
      }
      assert.deepEqual(statuses, [201, 201, 201, 429, 429]);
    } finally {
      await limited.stop();
    }
  });
});

describe('POST /webhooks/livekit', () => {
  async function signed(body: string, secret = API_SECRET): Promise<string> {
    const token = new AccessToken(API_KEY, secret);
    token.sha256 = createHash('sha256').update(body).digest('base64');
    return token.toJwt();
  }
  const event = (id: string, createdAt = Math.floor(Date.now() / 1000)) =>
    JSON.stringify({ event: 'room_finished', id, createdAt, room: { name: 'web_x' } });
  const send = (body: string, auth?: string) =>
    fetch(`${base}/webhooks/livekit`, {
      method: 'POST',
      headers: {
        'content-type': 'application/webhook+json',
        ...(auth ? { authorization: auth } : {}),
      },
      body,
    });

  test('a signed event is accepted once; its replay is refused', async () => {
    const body = event('EV_once');
    const auth = await signed(body);
    assert.equal((await send(body, auth)).status, 204);
    assert.deepEqual(livekitEvents, ['room_finished']);
    const replay = await send(body, auth);
    assert.equal(replay.status, 409);
    assert.deepEqual(livekitEvents, ['room_finished']);
  });

  test('a forged, unsigned, tampered or stale event is refused with 401', async () => {
    const body = event('EV_forged');
    const tampered = event('EV_tampered');
    const stale = event('EV_stale', Math.floor(Date.now() / 1000) - 3600);
    const statuses = [
      (await send(body, await signed(body, 'another-secret-another-secret-another-1'))).status,
      (await send(body)).status,
      (await send(tampered.replace('web_x', 'web_y'), await signed(tampered))).status,
      (await send(stale, await signed(stale))).status,
    ];
    assert.deepEqual(statuses, [401, 401, 401, 401]);
    assert.deepEqual(livekitEvents, ['room_finished']);
  });
});

describe('call records: the agent appends, admins read', () => {
  const agent = { authorization: `Bearer ${AGENT}` };
  const admin = { authorization: `Bearer ${ADMIN}` };

  test('a call is created, its turns appended idempotently, closed, then listed and searched', async () => {
    const created = await post(
      '/internal/calls',
      { personaId: 'default', channel: 'web', roomName: 'web_calltest' },
      agent,
    );
    assert.equal(created.status, 201);
    const call = (await created.json()) as { id: string; personaVersion: number };
    assert.equal(call.personaVersion, 1);
    const again = await post(
      '/internal/calls',
      { personaId: 'default', channel: 'web', roomName: 'web_calltest' },
      agent,
    );
    assert.equal(again.status, 200, 'a retried create answers the same call');
    assert.equal(((await again.json()) as { id: string }).id, call.id);

    const turn = {
      key: 'job1:1',
      turn: { userText: 'Do you offer free shipping?', agentText: 'Yes.', timings: { llmMs: 3 } },
    };
    const first = await post(`/internal/calls/${call.id}/turns`, turn, agent);
    const retry = await post(`/internal/calls/${call.id}/turns`, turn, agent);
    assert.deepEqual([first.status, retry.status], [201, 200]);

    const closed = await post(`/internal/calls/${call.id}/close`, { outcome: 'completed' }, agent);
    assert.equal(((await closed.json()) as { status: string }).status, 'ended');

    const detail = (await (
      await fetch(`${base}/v1/calls/${call.id}`, { headers: admin })
    ).json()) as {
      turns: { userText: string }[];
      outcome: string;
    };
    assert.equal(detail.outcome, 'completed');
    assert.deepEqual(
      detail.turns.map((t) => t.userText),
      ['Do you offer free shipping?'],
    );
    const found = (await (
      await fetch(`${base}/v1/calls?q=shipping`, { headers: admin })
    ).json()) as {
      items: { id: string }[];
    };
    assert.deepEqual(
      found.items.map((c) => c.id),
      [call.id],
    );
    const none = (await (await fetch(`${base}/v1/calls?q=refund`, { headers: admin })).json()) as {
      items: unknown[];
    };
    assert.equal(none.items.length, 0);
  });

  test('call routes refuse the wrong credential and unknown calls', async () => {
    assert.equal((await fetch(`${base}/v1/calls`, { headers: agent })).status, 401);
    assert.equal((await post('/internal/calls', {}, admin)).status, 401);
    const unknown = await post('/internal/calls/call_nope/turns', { key: 'k', turn: {} }, agent);
    assert.equal(unknown.status, 404);
    assert.equal((await fetch(`${base}/v1/calls/call_nope`, { headers: admin })).status, 404);
  });
});

describe('outgoing webhooks', () => {
  const agent = { authorization: `Bearer ${AGENT}` };
  const admin = { authorization: `Bearer ${ADMIN}` };

  test('call.started and call.ended are queued once per call for subscribed endpoints', async () => {
    const endpoint = await post(
      '/v1/webhook-endpoints',
      { url: 'https://hooks.example/parley', events: ['call.started', 'call.ended'] },
      admin,
    );
    assert.equal(endpoint.status, 201);
    const { secret } = (await endpoint.json()) as { secret: string };
    assert.ok(secret.length >= 16, 'a signing secret is generated');

    const body = { personaId: 'default', channel: 'web', roomName: 'web_hooked' };
    const call = (await (await post('/internal/calls', body, agent)).json()) as { id: string };
    await post('/internal/calls', body, agent);
    await post(`/internal/calls/${call.id}/close`, { outcome: 'completed' }, agent);
    await post(`/internal/calls/${call.id}/close`, { outcome: 'completed' }, agent);

    const res = await fetch(`${base}/v1/webhook-deliveries`, { headers: admin });
    const { data } = (await res.json()) as { data: { eventId: string; status: string }[] };
    assert.deepEqual(data.map((d) => d.eventId).sort(), [`${call.id}.ended`, `${call.id}.started`]);
    assert.ok(data.every((d) => d.status === 'pending'));
  });

  test("call.insights carries the agent's summary, lead temperature and cost, once", async () => {
    const endpoint = await post(
      '/v1/webhook-endpoints',
      { url: 'https://hooks.example/insights', events: ['call.insights'] },
      admin,
    );
    const { id: endpointId } = (await endpoint.json()) as { id: string };
    const open = async (roomName: string) =>
      (await (
        await post('/internal/calls', { personaId: 'default', channel: 'web', roomName }, agent)
      ).json()) as { id: string };
    const told = await open('web_insights');
    const insights = {
      outcome: 'completed',
      summary: 'Asked for a quote.',
      leadTemperature: 'hot',
    };
    await post(`/internal/calls/${told.id}/close`, insights, agent);
    await post(`/internal/calls/${told.id}/close`, insights, agent);
    const silent = await open('web_no_insights');
    await post(`/internal/calls/${silent.id}/close`, { outcome: 'abandoned' }, agent);

    const res = await fetch(`${base}/v1/webhook-deliveries?endpointId=${endpointId}`, {
      headers: admin,
    });
    const { data } = (await res.json()) as {
      data: { eventId: string; payload: Record<string, unknown> }[];
    };
    assert.deepEqual(
      data.map((d) => [d.eventId, d.payload]),
      [
        [
          `${told.id}.insights`,
          { callId: told.id, summary: 'Asked for a quote.', leadTemperature: 'hot' },
        ],
      ],
    );
  });
});

describe('session policy', () => {
  const admin = { authorization: `Bearer ${ADMIN}` };
  const agent = { authorization: `Bearer ${AGENT}` };

  test('a persona with an embed key refuses sessions without the right key', async () => {
    const created = await post(
      '/v1/personas',
      {
        id: 'keyed',
        name: 'K',
        greeting: 'Hi',
        instructions: '',
        embedKey: 'pk_embed_0123456789ab',
      },
      admin,
    );
    assert.equal(created.status, 201);
    const statuses = [
      (await post('/v1/sessions', { persona: 'keyed' })).status,
      (await post('/v1/sessions', { persona: 'keyed', embedKey: 'pk_embed_wrong_wrong' })).status,
      (await post('/v1/sessions', { persona: 'keyed', embedKey: 'pk_embed_0123456789ab' })).status,
    ];
    assert.deepEqual(statuses, [403, 403, 201]);
  });

  test('a returning visitor is dispatched with their history; a new one with none', async () => {
    const room = 'web_history';
    const call = (await (
      await post(
        '/internal/calls',
        { personaId: 'default', channel: 'web', roomName: room, caller: { id: 'vis-42' } },
        agent,
      )
    ).json()) as { id: string };
    await post(
      `/internal/calls/${call.id}/close`,
      { outcome: 'completed', summary: 'Asked about shipping.' },
      agent,
    );
    const metadataOf = async (visitorId: string) => {
      const res = await post('/v1/sessions', { persona: 'default', visitor: { id: visitorId } });
      const { token } = (await res.json()) as SessionResponse;
      const claims = await new TokenVerifier(API_KEY, API_SECRET).verify(token);
      return DispatchMetadataSchema.parse(JSON.parse(claims.roomConfig?.agents[0]?.metadata ?? ''));
    };
    const returning = await metadataOf('vis-42');
    assert.equal(returning.history?.previousCalls, 1);
    assert.equal(returning.history?.lastSummary, 'Asked about shipping.');
    const fresh = await metadataOf('vis-new');
    assert.deepEqual(fresh.history, { previousCalls: 0 });
  });
});

describe('admission: every agent worker busy', () => {
  test('a session is refused at once with at_capacity and Retry-After, no room is made, and served again once a call ends', async () => {
    // A database of its own: the workers and holds in it count for this app alone.
    const app = await startTestApp();
    const at = (route: string, body: unknown, headers: Record<string, string>) =>
      fetch(`${app.url}${route}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    const agent = { authorization: `Bearer ${AGENT}` };
    const open = () => at('/v1/sessions', { persona: 'default' }, { origin: app.url });
    const beat = (activeJobs: number) =>
      at(
        '/internal/workers/heartbeat',
        { agentName: 'parley', workerId: 'AW_full', activeJobs, maxJobs: 2 },
        agent,
      );
    try {
      assert.equal((await beat(1)).status, 204);
      // One slot left: the first visitor gets it; the second finds every agent busy.
      assert.equal((await open()).status, 201);
      const rooms = async () =>
        (await app.storage.db.query<{ n: number }>('SELECT count(*)::int AS n FROM rooms'))[0]?.n;
      const roomsBefore = await rooms();
      const refused = await open();
      assert.equal(refused.status, 503);
      assert.equal(await errorCode(refused), 'at_capacity');
      const retryAfter = Number(refused.headers.get('retry-after'));
      assert.ok(retryAfter >= 1 && retryAfter <= 5, `Retry-After ${retryAfter}`);
      assert.equal(await rooms(), roomsBefore, 'no room is noted for a refused session');
      // The worker reports both calls, then one ends: a slot is free again.
      assert.equal((await beat(2)).status, 204);
      assert.equal((await open()).status, 503);
      assert.equal((await beat(1)).status, 204);
      assert.equal((await open()).status, 201);
    } finally {
      await app.stop();
    }
  });
});
