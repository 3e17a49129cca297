import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import {
  AssignPhoneNumberRequestSchema,
  CreateApiKeyRequestSchema,
  CreateTenantRequestSchema,
  DialPolicySchema,
  DoNotCallInputSchema,
  E164Schema,
  PersonaSchema,
  PutSecretRequestSchema,
  SecretNameSchema,
  type ErrorCode,
} from '@parley/contracts';
import type { TenantStorage } from './storage/index.js';
import { ROUTE_DOCS, documentedRoute } from './openapi/index.js';
import {
  ADMIN_KEY as ADMIN,
  AGENT_KEY as AGENT,
  startTestApp,
  type TestApp,
} from '../test/test-app.js';

const RUNS = 3000;

/**
 * Every route the app serves, from the list Express mounts and the OpenAPI document describes
 * (so a route added later is fuzzed too), each path parameter written `:id`; and two it does not.
 */
const ROUTES = [
  ...new Set(ROUTE_DOCS.map((route) => route.path.replaceAll(/:[A-Za-z0-9]+/g, ':id'))),
  '/',
  '/v1/no-such-route',
];

/** The 5xx answers allowed: a service the test app runs without, for a route that needs it. */
const UNAVAILABLE = new Set<ErrorCode>(['sip_unavailable', 'livekit_unavailable']);

let app: TestApp;
let tenant: TenantStorage;
let base = '';
/** A call whose persona has business hours and a webhook tool, so tool routes get past 404. */
let callId = '';
let toolEndpoint: Server;
/** Another tenant's API key: whatever it sends, the default tenant's data stays as it was. */
const OTHER_TENANT = 'other-tenant-key';
let otherTenantKey = '';
let otherTenant: TenantStorage;

before(async () => {
  app = await startTestApp(() => ({
    onLivekitEvent: () => assert.fail('no unsigned webhook may get through'),
  }));
  tenant = app.tenant;
  base = app.url;
  toolEndpoint = createServer((_req, res) => res.end('ok')).listen(0, '127.0.0.1');
  await once(toolEndpoint, 'listening');
  await tenant.personas.create({
    id: 'tools',
    name: 'Tools',
    greeting: 'Hi',
    instructions: '',
    businessHours: {
      timeZone: 'UTC',
      weekly: [{ day: 'mon', open: '09:00', close: '17:00' }],
      appointmentMinutes: 30,
    },
    webhookTools: [
      {
        name: 'echo',
        description: 'Echoes',
        url: `http://127.0.0.1:${(toolEndpoint.address() as AddressInfo).port}/`,
      },
    ],
  });
  // Present before the run, so running the tool stores nothing new.
  await tenant.secrets.put('TOOL_SIGNING_KEY', 'fuzz-signing-key');
  callId = (await tenant.calls.create({ personaId: 'tools', channel: 'web', roomName: 'fuzz' })).id;
  const other = await app.storage.createTenant(
    { slug: 'other', name: 'Other' },
    { name: 'fuzz', scopes: ['admin'] },
  );
  otherTenantKey = other.key.plaintext;
  otherTenant = app.storage.forTenant(other.tenant.id);
});

after(async () => {
  toolEndpoint.close();
  await app.stop();
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
  fc.constantFrom(
    'default',
    'nobody',
    'echo',
    'carrier',
    '%2B15550100123',
    '+15550100123',
    '..',
    '%2e%2e',
    '%00',
    'a'.repeat(300),
    '%ZZ',
  ),
  fc.constant('').map(() => callId),
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
          'temperature',
          'status',
          'callId',
          'days',
          'persona',
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
    OTHER_TENANT,
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
  // The tenant an admin request names (the operator key's choice; others' keys are refused).
  tenant: fc.constantFrom(undefined, undefined, 'default', 'other', 'nobody', 'a'.repeat(300)),
  body,
});

/** Everything an admin could see, in both tenants: what no refused request may change. */
async function storedData(): Promise<unknown[]> {
  const seen = await Promise.all(
    [tenant, otherTenant].map(async (one) => [
      ...(await Promise.all(
        (await one.personas.list()).map(async (p) => ({
          p,
          versions: await one.personas.versions(p.id),
        })),
      )),
      await one.calls.list({ limit: 100 }),
      await one.leads.list({ limit: 100 }),
      await one.appointments.list(),
      await one.phoneNumbers.list(),
      await one.secrets.list(),
      await one.webhooks.listEndpoints(),
      await one.apiKeys.list(),
      await one.outboundTrunks.list(),
      await one.dialRules.policy(),
      await one.dialRules.listDoNotCall(),
    ]),
  );
  return [...seen, await app.storage.tenants.list()];
}

const parsesAs = (schema: { safeParse(v: unknown): { success: boolean } }, value: unknown) =>
  schema.safeParse(value).success;

function jsonOf(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** Whether a request with an admin key (either tenant's) could legitimately store something. */
function couldWrite(r: {
  method: string;
  route: string;
  param: string;
  auth?: string;
  body: string;
}): boolean {
  const admin = r.auth === `Bearer ${ADMIN}` || r.auth === OTHER_TENANT;
  if (!admin || (r.method !== 'POST' && r.method !== 'PUT')) return false;
  const body = jsonOf(r.body);
  const param = (() => {
    try {
      return decodeURIComponent(r.param);
    } catch {
      return r.param;
    }
  })();
  if (r.route.startsWith('/v1/personas')) {
    const candidate = typeof body === 'object' && body !== null ? { id: 'x', ...body } : body;
    return parsesAs(PersonaSchema, candidate);
  }
  if (r.route === '/v1/secrets/:id') {
    return parsesAs(SecretNameSchema, param) && parsesAs(PutSecretRequestSchema, body);
  }
  if (r.route === '/v1/phone-numbers/:id') {
    return parsesAs(E164Schema, param) && parsesAs(AssignPhoneNumberRequestSchema, body);
  }
  if (r.route === '/v1/do-not-call/:id') {
    return parsesAs(E164Schema, param) && parsesAs(DoNotCallInputSchema, body ?? {});
  }
  if (r.route === '/v1/dial-policy') return parsesAs(DialPolicySchema, body);
  if (r.route === '/v1/tenants') return parsesAs(CreateTenantRequestSchema, body);
  if (r.route === '/v1/api-keys') return parsesAs(CreateApiKeyRequestSchema, body);
  return false;
}

test(`${RUNS} random and mutated requests to every route: no internal error, typed errors, stored data unchanged`, async () => {
  const storedBefore = await storedData();
  await fc.assert(
    fc.asyncProperty(
      request.filter((r) => !couldWrite(r)),
      async (r) => {
        const url = `${base}${r.route.replaceAll(':id', r.param)}${r.query}`;
        const headers: Record<string, string> = {};
        if (r.auth !== undefined) {
          headers.authorization = r.auth === OTHER_TENANT ? `Bearer ${otherTenantKey}` : r.auth;
        }
        if (r.contentType !== undefined) headers['content-type'] = r.contentType;
        if (r.origin !== undefined) headers.origin = r.origin;
        if (r.tenant !== undefined) headers['parley-tenant'] = r.tenant;
        const withBody = r.method !== 'GET' && r.method !== 'OPTIONS';
        const res = await fetch(url, {
          method: r.method,
          headers,
          body: withBody ? r.body : undefined,
        });
        const text = await res.text();
        if ((r.route === '/healthz' || r.route === '/readyz') && r.method === 'GET') {
          // Not ready (no agent worker) is the probes' own 503, with their checks.
          assert.equal(res.status, 503);
          assert.equal((JSON.parse(text) as { status: string }).status, 'starting');
          return;
        }
        if (res.status >= 400) {
          const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
          assert.equal(typeof parsed.error?.code, 'string', `untyped error: ${text.slice(0, 200)}`);
          assert.equal(typeof parsed.error?.message, 'string');
          if (res.status >= 500) {
            // Only a dependency this app runs without (LiveKit, its SIP service), named by a
            // route that documents it: never an internal error.
            const path = new URL(url).pathname;
            const route = ROUTE_DOCS.find(
              (doc) =>
                doc.method.toUpperCase() === r.method &&
                doc.path === documentedRoute(r.method, path),
            );
            assert.ok(
              route?.errors?.includes(parsed.error?.code as ErrorCode) &&
                UNAVAILABLE.has(parsed.error?.code as ErrorCode),
              `${r.method} ${url} → ${res.status} ${text.slice(0, 200)}`,
            );
          }
        }
      },
    ),
    { numRuns: RUNS },
  );
  assert.deepEqual(await storedData(), storedBefore);
});
