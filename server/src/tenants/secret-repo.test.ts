import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { DomainError } from '../domain-errors.js';
import type { Storage } from '../storage/storage.js';
import { forEachBackend, newTenant, openFresh } from '../../test/test-backends.js';

forEachBackend((backend) => {
  let storage: Storage;
  before(async () => {
    storage = await openFresh(backend);
  });

  test('when a secret is stored and replaced, then the list names it without its value', async () => {
    const a = storage.forTenant(await newTenant(storage, 'a'));
    const b = storage.forTenant(await newTenant(storage, 'b'));
    const first = await a.secrets.put('CRM_TOKEN', 'tok-1');
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await a.secrets.put('CRM_TOKEN', 'tok-2');

    assert.equal(second.createdAt, first.createdAt);
    assert.ok(second.updatedAt > first.updatedAt);
    assert.deepEqual(await a.secrets.list(), [second]);
    assert.equal(JSON.stringify(await a.secrets.list()).includes('tok-'), false);
    assert.equal(await a.secrets.reveal('CRM_TOKEN'), 'tok-2');
    assert.equal(await b.secrets.reveal('CRM_TOKEN'), undefined, 'tenants never share secrets');
    assert.deepEqual(await b.secrets.list(), []);
  });

  test('when a signing key is asked for twice, then one random key is made and kept', async () => {
    const { secrets } = storage.forTenant(await newTenant(storage));
    const [one, two] = await Promise.all([
      secrets.revealOrCreate('TOOL_SIGNING_KEY'),
      secrets.revealOrCreate('TOOL_SIGNING_KEY'),
    ]);
    assert.equal(one, two);
    assert.match(one, /^whsec_[\w-]{32}$/);
    await secrets.put('TOOL_SIGNING_KEY', 'mine');
    assert.equal(await secrets.revealOrCreate('TOOL_SIGNING_KEY'), 'mine');
  });

  test('when a secret is removed or misnamed, then it is gone or refused', async () => {
    const { secrets } = storage.forTenant(await newTenant(storage));
    const code = (c: string) => (err: unknown) => err instanceof DomainError && err.code === c;
    await secrets.put('K', 'v');
    await secrets.remove('K');
    assert.equal(await secrets.reveal('K'), undefined);
    await assert.rejects(secrets.remove('K'), code('not_found'));
    await assert.rejects(secrets.put('bad name', 'v'), code('invalid_request'));
    await assert.rejects(secrets.put('K', ''), code('invalid_request'));
  });
});
