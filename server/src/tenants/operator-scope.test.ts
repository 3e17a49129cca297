import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Persona } from '@parley/contracts';
import { createLogger } from '../observability/logger.js';
import {
  asAdmin,
  createTenant,
  request,
  startTestApp,
  type TestApp,
  type TestTenant,
} from '../../test/test-app.js';

interface LogLine {
  actor?: string;
  tenantId?: string;
  method?: string;
  path?: string;
  status?: number;
}

let app: TestApp;
let acme: TestTenant;
let globex: TestTenant;
const logs: LogLine[] = [];

const call = <T>(method: string, path: string, headers: Record<string, string>, body?: unknown) =>
  request<T>(`${app.url}${path}`, method, body, headers);
const errorCode = (body: unknown) => (body as { error: { code: string } }).error.code;
const personaIds = async (tenantId: string) =>
  (await app.storage.forTenant(tenantId).personas.list()).map((p: Persona) => p.id).sort();

before(async () => {
  const logger = createLogger({
    level: 'info',
    destination: { write: (line) => void logs.push(JSON.parse(line) as LogLine) },
  });
  app = await startTestApp(() => ({ logger }));
  acme = await createTenant(app.url, 'acme');
  globex = await createTenant(app.url, 'globex');
});
after(() => app.stop());

const persona = (id: string) => ({ id, name: id, instructions: 'Be brief.', greeting: 'Hello.' });

describe('the operator key on any tenant (Parley-Tenant header)', () => {
  test('when the operator names a tenant by slug or id, then the request acts on that tenant', async () => {
    const bySlug = await call(
      'POST',
      '/v1/personas',
      { ...asAdmin, 'parley-tenant': 'acme' },
      persona('by-slug'),
    );
    assert.equal(bySlug.status, 201, JSON.stringify(bySlug.body));
    const byId = await call(
      'POST',
      '/v1/personas',
      { ...asAdmin, 'parley-tenant': acme.tenant.id },
      persona('by-id'),
    );
    assert.equal(byId.status, 201, JSON.stringify(byId.body));

    assert.deepEqual(await personaIds(acme.tenant.id), ['by-id', 'by-slug', 'default']);
    assert.deepEqual(await personaIds(globex.tenant.id), ['default']);
    assert.deepEqual(await personaIds(app.tenant.tenantId), ['default']);

    // Without the header the operator key still acts on the default tenant.
    const listed = await call<{ data: Persona[] }>('GET', '/v1/personas', asAdmin);
    assert.deepEqual(
      listed.body.data.map((p) => p.id),
      ['default'],
    );
  });

  test('when the operator names an unknown tenant, then 404 not_found and nothing is stored', async () => {
    const res = await call(
      'POST',
      '/v1/personas',
      { ...asAdmin, 'parley-tenant': 'nobody' },
      persona('lost'),
    );
    assert.equal(res.status, 404);
    assert.equal(errorCode(res.body), 'not_found');
    for (const tenantId of [app.tenant.tenantId, acme.tenant.id, globex.tenant.id]) {
      assert.ok(!(await personaIds(tenantId)).includes('lost'));
    }
  });

  test("when a tenant's key names another tenant, then 403 whether it exists or not; its own, 200", async () => {
    const other = await call('GET', '/v1/personas', { ...acme.headers, 'parley-tenant': 'globex' });
    const unknown = await call('GET', '/v1/personas', {
      ...acme.headers,
      'parley-tenant': 'nobody',
    });
    const theDefault = await call(
      'POST',
      '/v1/personas',
      { ...acme.headers, 'parley-tenant': 'default' },
      persona('sneaky'),
    );
    assert.deepEqual([other.status, unknown.status, theDefault.status], [403, 403, 403]);
    assert.equal(errorCode(other.body), 'forbidden');
    assert.deepEqual(await personaIds(app.tenant.tenantId), ['default']);

    const own = await call<{ data: Persona[] }>('GET', '/v1/personas', {
      ...acme.headers,
      'parley-tenant': 'acme',
    });
    assert.equal(own.status, 200);
    assert.ok(own.body.data.some((p) => p.id === 'by-slug'));
  });

  test("when an admin key acts, then the request's log line names the actor and the tenant", async () => {
    logs.length = 0;
    await call('GET', '/v1/personas?x=query-value', { ...asAdmin, 'parley-tenant': 'globex' });
    await call('GET', '/v1/calls', asAdmin);
    await call('GET', '/v1/personas', acme.headers);
    await call('GET', '/v1/personas', { ...asAdmin, 'parley-tenant': 'nobody' });
    const lines = logs
      .filter((line) => line.method !== undefined)
      .map(({ actor, tenantId, method, path, status }) => ({
        actor,
        tenantId,
        method,
        path,
        status,
      }));
    assert.deepEqual(lines, [
      {
        actor: 'operator',
        tenantId: globex.tenant.id,
        method: 'GET',
        path: '/v1/personas',
        status: 200,
      },
      {
        actor: 'operator',
        tenantId: app.tenant.tenantId,
        method: 'GET',
        path: '/v1/calls',
        status: 200,
      },
      {
        actor: 'apiKey',
        tenantId: acme.tenant.id,
        method: 'GET',
        path: '/v1/personas',
        status: 200,
      },
      // Refused before it acted on any tenant.
      { actor: undefined, tenantId: undefined, method: 'GET', path: '/v1/personas', status: 404 },
    ]);
    assert.ok(!JSON.stringify(logs).includes('query-value'));
  });
});
