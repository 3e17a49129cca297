/**
 * Test support: the real app, in this process, on a fresh embedded database (with its default
 * tenant, as `main.ts` starts it) and a free port. Tests override whichever deps they need.
 */
import type { AddressInfo } from 'node:net';
import { createApp, type AppDeps } from '../src/app.js';
import type { CreatedTenant, Tenant } from '@parley/contracts';
import { SessionIssuer } from '../src/sessions/session-issuer.js';
import { Storage, type TenantStorage } from '../src/storage/index.js';
import { pglite } from './test-backends.js';
import { Tenancy } from '../src/tenants/tenancy.js';
import { WorkerRegistry } from '../src/livekit/worker-registry.js';
import { LOOPBACK_RANGES, OutgoingGuard } from '../src/http/outgoing-guard.js';

export const ADMIN_KEY = 'admin-key-0123456789';
export const AGENT_KEY = 'agent-key-0123456789';
export const LIVEKIT_API_KEY = 'APItestkey';
export const LIVEKIT_API_SECRET = 'test-secret-test-secret-test-secret-0123';

export const asAdmin = { authorization: `Bearer ${ADMIN_KEY}` };
export const asAgent = { authorization: `Bearer ${AGENT_KEY}` };

export interface TestApp {
  url: string;
  storage: Storage;
  /** The default tenant's repositories: what the operator key (`asAdmin`) acts on. */
  tenant: TenantStorage;
  stop(): Promise<void>;
}

/**
 * The app's deps for `storage`, with generous rate limits, no LiveKit behind it, the worker
 * registry in that database, and webhook tools allowed to reach loopback (where tests run their
 * endpoints), as in the test stack.
 */
export function testDeps(
  storage: Storage,
  defaultTenantId: string,
  overrides: Partial<AppDeps> = {},
): AppDeps {
  return {
    tenancy: new Tenancy({ storage, defaultTenantId }),
    issuer: new SessionIssuer({
      apiKey: LIVEKIT_API_KEY,
      apiSecret: LIVEKIT_API_SECRET,
      serverUrl: 'ws://127.0.0.1:7880',
      ttlSeconds: 600,
    }),
    workers: new WorkerRegistry(storage.db),
    livekitReady: async () => true,
    livekitApiKey: LIVEKIT_API_KEY,
    livekitApiSecret: LIVEKIT_API_SECRET,
    onLivekitEvent: () => undefined,
    adminKey: ADMIN_KEY,
    agentKey: AGENT_KEY,
    sessionRatePerMinute: 1_000_000,
    personaSessionRatePerMinute: 1_000_000,
    development: false,
    outgoing: new OutgoingGuard({ allow: LOOPBACK_RANGES }),
    ...overrides,
  };
}

/** Serves the app on a free loopback port. */
export async function serveApp(deps: AppDeps): Promise<{ url: string; stop(): Promise<void> }> {
  const server = createApp(deps).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A fresh database with the default tenant and persona, and the app serving it. */
export async function startTestApp(
  overrides: (tenant: TenantStorage, storage: Storage) => Partial<AppDeps> = () => ({}),
): Promise<TestApp> {
  const storage = await Storage.open(await pglite.fresh());
  const tenant = storage.forTenant((await storage.ensureDefaultTenant()).id);
  const served = await serveApp(testDeps(storage, tenant.tenantId, overrides(tenant, storage)));
  return {
    url: served.url,
    storage,
    tenant,
    stop: async () => {
      await served.stop();
      await storage.close();
    },
  };
}

/** A JSON request to the app; answers the status and the parsed body (if any). */
export async function request<T = unknown>(
  url: string,
  method: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: T }> {
  const res = await fetch(url, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** A tenant made through the operator API, with the headers its first API key sends. */
export interface TestTenant {
  tenant: Tenant;
  key: string;
  headers: { authorization: string };
}

export async function createTenant(url: string, slug: string): Promise<TestTenant> {
  const res = await request<CreatedTenant>(
    `${url}/v1/tenants`,
    'POST',
    { slug, name: slug.toUpperCase() },
    asAdmin,
  );
  if (res.status !== 201) throw new Error(`POST /v1/tenants answered ${res.status}`);
  const { tenant, apiKey } = res.body;
  return { tenant, key: apiKey.key, headers: { authorization: `Bearer ${apiKey.key}` } };
}
