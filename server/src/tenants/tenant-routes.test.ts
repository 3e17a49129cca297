import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type {
  ApiKeySummary,
  CreatedApiKey,
  CreatedTenant,
  Persona,
  Tenant,
} from '@parley/contracts';
import { hashApiKey } from '../storage/index.js';
import {
  asAdmin,
  createTenant,
  request,
  startTestApp,
  type TestApp,
  type TestTenant,
} from '../../test/test-app.js';

let app: TestApp;

const call = <T>(method: string, path: string, headers: Record<string, string>, body?: unknown) =>
  request<T>(`${app.url}${path}`, method, body, headers);
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const errorCode = (body: unknown) => (body as { error: { code: string } }).error.code;

before(async () => {
  app = await startTestApp();
});
after(() => app.stop());

describe('tenants (operator key)', () => {
  test('when the operator creates a tenant, then it answers the tenant and its first key, once', async () => {
    const res = await call<CreatedTenant>('POST', '/v1/tenants', asAdmin, {
      slug: 'acme',
      name: 'Acme Inc',
    });
    assert.equal(res.status, 201);
    const { tenant, apiKey } = res.body;
    assert.equal(tenant.slug, 'acme');
    assert.equal(tenant.name, 'Acme Inc');
    assert.match(apiKey.key, /^parley_[A-Za-z0-9_-]{43}$/);
    assert.ok(apiKey.key.startsWith(apiKey.prefix));

    // The key works at once, and acts on the new tenant: it starts with the starter persona,
    // its own (editing it changes nothing of the default tenant's).
    const personas = await call<{ data: Persona[] }>('GET', '/v1/personas', bearer(apiKey.key));
    assert.equal(personas.status, 200);
    assert.deepEqual(
      personas.body.data.map((p) => p.id),
      ['default'],
    );
    const renamed = { ...personas.body.data[0], name: 'Acme front desk' };
    const put = await call('PUT', '/v1/personas/default', bearer(apiKey.key), renamed);
    assert.equal(put.status, 200);
    assert.notEqual((await app.tenant.personas.get('default'))?.name, 'Acme front desk');

    // Only its hash is kept; listing never shows the key again.
    const [row] = await app.storage.db.query<{ key_hash: string }>(
      'SELECT key_hash FROM api_keys WHERE id = $1',
      [apiKey.id],
    );
    assert.equal(row?.key_hash, hashApiKey(apiKey.key));
    const listed = await call('GET', '/v1/api-keys', bearer(apiKey.key));
    assert.ok(!JSON.stringify(listed.body).includes(apiKey.key.slice(apiKey.prefix.length)));

    const all = await call<{ data: Tenant[] }>('GET', '/v1/tenants', asAdmin);
    assert.deepEqual(
      all.body.data.map((t) => t.slug),
      ['acme', 'default'],
    );
  });

  test('when a slug is taken or malformed, then 409 or 400 and no tenant is made', async () => {
    await createTenant(app.url, 'taken');
    const before = (await app.storage.tenants.list()).length;
    const again = await call('POST', '/v1/tenants', asAdmin, { slug: 'taken', name: 'Again' });
    const upper = await call('POST', '/v1/tenants', asAdmin, { slug: 'Nope', name: 'x' });
    const slash = await call('POST', '/v1/tenants', asAdmin, { slug: 'a/b', name: 'x' });
    assert.deepEqual([again.status, upper.status, slash.status], [409, 400, 400]);
    assert.equal(errorCode(again.body), 'conflict');
    assert.equal((await app.storage.tenants.list()).length, before);
  });

  test("when a tenant's key asks for the tenant routes, then 403 forbidden; without a key, 401", async () => {
    const { headers } = await createTenant(app.url, 'nosy');
    const list = await call('GET', '/v1/tenants', headers);
    const create = await call('POST', '/v1/tenants', headers, { slug: 'mine', name: 'Mine' });
    assert.deepEqual([list.status, create.status], [403, 403]);
    assert.equal(errorCode(list.body), 'forbidden');
    assert.equal(await app.storage.tenants.getBySlug('mine'), undefined);

    const anonymous = await call('GET', '/v1/tenants', {});
    const wrong = await call('GET', '/v1/tenants', bearer('parley_not-a-key'));
    assert.deepEqual([anonymous.status, wrong.status], [401, 401]);
    assert.equal(errorCode(wrong.body), 'unauthorized');
  });
});

describe('API keys (any admin key, on its own tenant)', () => {
  let owner: TestTenant;
  before(async () => {
    owner = await createTenant(app.url, 'keys');
  });

  test('when a key is created, then its plaintext is answered once and listed never', async () => {
    const created = await call<CreatedApiKey>('POST', '/v1/api-keys', owner.headers, {
      name: 'ci',
    });
    assert.equal(created.status, 201);
    assert.deepEqual(Object.keys(created.body).sort(), [
      'createdAt',
      'id',
      'key',
      'name',
      'prefix',
    ]);
    assert.equal(created.body.name, 'ci');

    const listed = await call<{ data: ApiKeySummary[] }>('GET', '/v1/api-keys', owner.headers);
    const summary = listed.body.data.find((k) => k.id === created.body.id);
    assert.deepEqual(summary, {
      id: created.body.id,
      name: 'ci',
      prefix: created.body.prefix,
      createdAt: created.body.createdAt,
    });
    assert.ok(!JSON.stringify(listed.body).includes(created.body.key));
    assert.equal(listed.body.data.length, 2, 'the first key and the new one');

    const invalid = await call('POST', '/v1/api-keys', owner.headers, { name: '' });
    assert.equal(invalid.status, 400);
  });

  test('when a key is revoked, then the very next request with it is 401, other keys work', async () => {
    const doomed = await call<CreatedApiKey>('POST', '/v1/api-keys', owner.headers, {
      name: 'doomed',
    });
    const doomedHeaders = bearer(doomed.body.key);
    assert.equal((await call('GET', '/v1/personas', doomedHeaders)).status, 200);

    const revoked = await call('DELETE', `/v1/api-keys/${doomed.body.id}`, owner.headers);
    assert.equal(revoked.status, 204);

    const refused = await call('GET', '/v1/personas', doomedHeaders);
    assert.equal(refused.status, 401);
    assert.equal(errorCode(refused.body), 'unauthorized');
    assert.equal((await call('GET', '/v1/personas', owner.headers)).status, 200);
    const listed = await call<{ data: ApiKeySummary[] }>('GET', '/v1/api-keys', owner.headers);
    assert.ok(listed.body.data.find((k) => k.id === doomed.body.id)?.revokedAt);
  });

  test("when one tenant revokes or lists another's keys, then it cannot", async () => {
    const other = await createTenant(app.url, 'keys-other');
    const [otherKey] = (await app.storage.forTenant(other.tenant.id).apiKeys.list()).map(
      (k) => k.id,
    );
    assert.ok(otherKey);
    const revoke = await call('DELETE', `/v1/api-keys/${otherKey}`, owner.headers);
    assert.equal(revoke.status, 404);
    assert.equal((await call('GET', '/v1/personas', other.headers)).status, 200);
    const listed = await call<{ data: ApiKeySummary[] }>('GET', '/v1/api-keys', owner.headers);
    assert.ok(!listed.body.data.some((k) => k.id === otherKey));
  });

  test("when the operator manages keys, then they are the default tenant's", async () => {
    const made = await call<CreatedApiKey>('POST', '/v1/api-keys', asAdmin, { name: 'default' });
    assert.equal(made.status, 201);
    const defaultKeys = await app.tenant.apiKeys.list();
    assert.deepEqual(
      defaultKeys.map((k) => k.id),
      [made.body.id],
    );
    // That key then acts on the default tenant, whose `default` persona exists out of the box.
    const persona = await call<Persona>('GET', '/v1/personas/default', bearer(made.body.key));
    assert.equal(persona.status, 200);
  });
});
