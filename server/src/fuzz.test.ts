import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { PersonaSchema } from './contracts/index.js';
import { createApp } from './app.js';
import { Storage } from './storage/index.js';
import { pglite } from './storage/test-backends.js';
import { SessionIssuer } from './session-issuer.js';
import { WorkerRegistry } from './worker-registry.js';

const ADMIN = 'admin-key-0123456789';
const AGENT = 'agent-key-0123456789';
const RUNS = 3000;

/** Every route the app serves, with `:id` standing for a path parameter. */
const ROUTES = [
  '/v1/sessions',
  '/v1/personas',
  '/v1/personas/:id',
  '/v1/calls',
  '/v1/calls/:id',
  '/internal/calls',
  '/internal/calls/:id/turns',
  '/internal/calls/:id/close',
  '/v1/webhook-endpoints',
  '/v1/webhook-endpoints/:id',
  '/v1/webhook-deliveries',
  '/internal/personas/:id',
  '/internal/workers/heartbeat',
  '/webhooks/livekit',
  '/healthz',
  '/',
];

let base = '';
let storage: Storage;
let tenantId = '';
const tenantPersonas = () => storage.forTenant(tenantId).personas;
let close: () => Promise<void>;

before(async () => {
  storage = await Storage.open(await pglite.fresh());
  tenantId = (await storage.ensureDefaultTenant()).id;
  const app = createApp({
    personas: tenantPersonas(),
    calls: storage.forTenant(tenantId).calls,
    webhooks: storage.forTenant(tenantId).webhooks,
    issuer: new SessionIssuer({
      apiKey: 'APIfuzz',
      apiSecret: 'fuzz-secret-fuzz-secret-fuzz-secret-0123',
      serverUrl: 'ws://127.0.0.1:7880',
      ttlSeconds: 600,
    }),
    workers: new WorkerRegistry(),
    livekitReady: async () => true,
    livekitApiKey: 'APIfuzz',
    livekitApiSecret: 'fuzz-secret-fuzz-secret-fuzz-secret-0123',
    onLivekitEvent: () => assert.fail('no unsigned webhook may get through'),
    adminKey: ADMIN,
    agentKey: AGENT,
    sessionRatePerMinute: 1_000_000,
    personaSessionRatePerMinute: 1_000_000,
    development: false,
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise((resolve) => server.close(() => resolve()));
});

after(async () => {
  await close();
  await storage.close();
});

const validPersona = {
  id: 'fuzzed',
  name: 'Fuzz',
  greeting: 'Hi',
  instructions: 'x',
  knowledge: [{ question: 'q', answer: 'a' }],
  allowedOrigins: ['https://a.example'],
};

/** A valid body with one field removed, retyped or replaced by junk. */
const mutatedPersona = fc
  .tuple(
    fc.constantFrom(...Object.keys(validPersona), 'providers', 'tools', 'language'),
    fc.oneof(fc.jsonValue(), fc.constant(undefined), fc.string({ maxLength: 300 })),
  )
  .map(([key, value]) => ({ ...validPersona, [key]: value }));

const body = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  mutatedPersona.map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')),
  fc.constantFrom(
    '',
    '{',
    '{"persona":',
    'null',
    '[]',
    '{"__proto__":{"x":1}}',
    'x'.repeat(70_000),
  ),
);

const pathParam = fc.oneof(
  fc.constantFrom('default', 'nobody', '..', '%2e%2e', '%00', 'a'.repeat(300), '%ZZ'),
  fc.string({ maxLength: 40 }).map(encodeURIComponent),
);

const request = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'),
  route: fc.constantFrom(...ROUTES),
  param: pathParam,
  query: fc.oneof(
    fc.constant(''),
    fc
      .dictionary(
        fc.constantFrom(
          'limit',
          'cursor',
          'personaId',
          'channel',
          'outcome',
          'from',
          'to',
          'q',
          'x',
        ),
        fc.oneof(
          fc.string({ maxLength: 30 }),
          fc.integer().map(String),
          fc.date().map((d) => d.toString()),
        ),
      )
      .map((d) => `?${new URLSearchParams(d).toString()}`),
  ),
  auth: fc.constantFrom(
    undefined,
    `Bearer ${ADMIN}`,
    `Bearer ${AGENT}`,
    'Bearer nope',
    'Basic x',
    '',
  ),
  contentType: fc.constantFrom(
    'application/json',
    'application/webhook+json',
    'text/plain',
    'application/x-www-form-urlencoded',
    undefined,
  ),
  origin: fc.constantFrom(undefined, 'https://evil.example', 'null'),
  body,
});

/** Every persona with all its versions, and the calls: what no refused request may change. */
async function storedPersonas(): Promise<unknown[]> {
  const repo = tenantPersonas();
  const personas = await repo.list();
  const calls = await storage.forTenant(tenantId).calls.list({ limit: 100 });
  return [
    ...(await Promise.all(personas.map(async (p) => ({ p, versions: await repo.versions(p.id) })))),
    calls,
  ];
}

/** Whether an admin-authorised request could legitimately store something. */
function couldWrite(r: { method: string; route: string; auth?: string; body: string }): boolean {
  if (r.auth !== `Bearer ${ADMIN}` || !r.route.startsWith('/v1/personas')) return false;
  if (r.method !== 'POST' && r.method !== 'PUT') return false;
  try {
    const parsed: unknown = JSON.parse(r.body);
    const candidate =
      typeof parsed === 'object' && parsed !== null ? { id: 'x', ...parsed } : parsed;
    return PersonaSchema.safeParse(candidate).success;
  } catch {
    return false;
  }
}

test(`${RUNS} random and mutated requests to every route: no 5xx, typed errors, stored data unchanged`, async () => {
  const storedBefore = await storedPersonas();
  await fc.assert(
    fc.asyncProperty(
      request.filter((r) => !couldWrite(r)),
      async (r) => {
        const url = `${base}${r.route.replace(':id', r.param)}${r.query}`;
        const headers: Record<string, string> = {};
        if (r.auth !== undefined) headers.authorization = r.auth;
        if (r.contentType !== undefined) headers['content-type'] = r.contentType;
        if (r.origin !== undefined) headers.origin = r.origin;
        const withBody = r.method !== 'GET' && r.method !== 'OPTIONS';
        const res = await fetch(url, {
          method: r.method,
          headers,
          body: withBody ? r.body : undefined,
        });
        const text = await res.text();
        if (r.route === '/healthz' && r.method === 'GET') {
          // Not ready (no agent worker) is /healthz's own 503, with its checks.
          assert.equal(res.status, 503);
          assert.equal((JSON.parse(text) as { status: string }).status, 'starting');
          return;
        }
        assert.ok(res.status < 500, `${r.method} ${url} → ${res.status} ${text.slice(0, 200)}`);
        if (res.status >= 400) {
          const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
          assert.equal(typeof parsed.error?.code, 'string', `untyped error: ${text.slice(0, 200)}`);
          assert.equal(typeof parsed.error?.message, 'string');
        }
      },
    ),
    { numRuns: RUNS },
  );
  assert.deepEqual(await storedPersonas(), storedBefore);
});
