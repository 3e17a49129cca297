import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { DomainError } from '../domain-errors.js';
import { hashApiKey } from './api-key-repo.js';
import type { ApiKeyInput } from '../storage/schemas.js';
import type { Storage } from '../storage/storage.js';
import { forEachBackend, newTenant, openFresh } from '../../test/test-backends.js';

forEachBackend((backend) => {
  let storage: Storage;
  before(async () => {
    storage = await openFresh(backend);
  });

  test('when a key is created, then its plaintext verifies to the tenant and its scopes', async () => {
    const tenantId = await newTenant(storage);
    const { apiKeys } = storage.forTenant(tenantId);
    const { apiKey, plaintext } = await apiKeys.create({ name: 'ci', scopes: ['admin'] });

    assert.match(plaintext, /^parley_[A-Za-z0-9_-]{43}$/);
    assert.ok(plaintext.startsWith(apiKey.prefix), 'the display prefix is the start of the key');
    assert.ok(apiKey.prefix.length < 16);
    assert.deepEqual(await storage.verifyApiKey(plaintext), {
      keyId: apiKey.id,
      tenantId,
      scopes: ['admin'],
    });
    assert.equal(await storage.verifyApiKey(`${plaintext}x`), undefined);
    assert.equal(await storage.verifyApiKey('parley_' + 'A'.repeat(43)), undefined);
    assert.equal(await storage.verifyApiKey(''), undefined);
  });

  test('when keys are stored, then the table holds their hashes and never their plaintext', async () => {
    const { apiKeys } = storage.forTenant(await newTenant(storage));
    const created = await Promise.all(
      ['one', 'two', 'three'].map((name) => apiKeys.create({ name, scopes: ['admin', 'agent'] })),
    );
    const rows = await storage.db.query<{ row: string; key_hash: string }>(
      'SELECT row_to_json(k)::text AS row, key_hash FROM api_keys k',
    );
    for (const { plaintext, apiKey } of created) {
      const secretPart = plaintext.slice(apiKey.prefix.length);
      for (const { row } of rows) {
        assert.ok(!row.includes(secretPart), 'no column holds the secret part of a key');
      }
      assert.ok(rows.some((r) => r.key_hash === hashApiKey(plaintext)));
    }
    assert.equal(hashApiKey('abc').length, 64);
  });

  test('when a key is revoked, then it no longer verifies and stays listed as revoked', async () => {
    const { apiKeys } = storage.forTenant(await newTenant(storage));
    const kept = await apiKeys.create({ name: 'kept', scopes: ['agent'] });
    const gone = await apiKeys.create({ name: 'gone', scopes: ['admin'] });

    const revoked = await apiKeys.revoke(gone.apiKey.id);
    const again = await apiKeys.revoke(gone.apiKey.id);

    assert.ok(revoked.revokedAt);
    assert.equal(again.revokedAt, revoked.revokedAt, 'the first revocation time is kept');
    assert.equal(await storage.verifyApiKey(gone.plaintext), undefined);
    assert.equal((await storage.verifyApiKey(kept.plaintext))?.keyId, kept.apiKey.id);
    // Both keys stay listed; two keys made within one clock tick have no defined order.
    assert.deepEqual(
      new Map((await apiKeys.list()).map((k) => [k.name, k.revokedAt !== undefined])),
      new Map([
        ['kept', false],
        ['gone', true],
      ]),
    );
  });

  test("when tenant B tries to list or revoke tenant A's key, then it cannot", async () => {
    const a = storage.forTenant(await newTenant(storage, 'a'));
    const b = storage.forTenant(await newTenant(storage, 'b'));
    const key = await a.apiKeys.create({ name: 'a-key', scopes: ['admin'] });
    assert.deepEqual(await b.apiKeys.list(), []);
    await assert.rejects(
      b.apiKeys.revoke(key.apiKey.id),
      (err) => err instanceof DomainError && err.code === 'not_found',
    );
    assert.ok(await storage.verifyApiKey(key.plaintext));
  });

  test('when a key asks for an unknown scope or no scope, then it is refused', async () => {
    const { apiKeys } = storage.forTenant(await newTenant(storage));
    const invalid = (err: unknown) => err instanceof DomainError && err.code === 'invalid_request';
    await assert.rejects(apiKeys.create({ name: 'x', scopes: [] }), invalid);
    const fromOutside: unknown = { name: 'x', scopes: ['root'] };
    await assert.rejects(apiKeys.create(fromOutside as ApiKeyInput), invalid);
  });
});
