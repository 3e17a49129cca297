/** The storage's cross-tenant entry points: whose room, whose call, a new tenant with its key. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, test } from 'node:test';
import { DomainError } from '../domain-errors.js';
import type { Storage } from '../storage/storage.js';
import { forEachBackend, newTenant, openFresh } from '../../test/test-backends.js';

const desk = { id: 'desk', name: 'Desk', greeting: 'Hi', instructions: '' };

forEachBackend((backend) => {
  let storage: Storage;
  before(async () => {
    storage = await openFresh(backend);
  });

  test("when a room's session was issued, then the room is that tenant's, and stays so", async () => {
    const a = await newTenant(storage, 'a');
    const b = await newTenant(storage, 'b');
    const room = `web_${randomUUID()}`;
    await storage.forTenant(a).rooms.remember(room);
    await storage.forTenant(b).rooms.remember(room);
    assert.equal(await storage.tenantOfRoom(room), a);
    assert.equal(await storage.tenantOfRoom(`web_${randomUUID()}`), undefined);
  });

  test('when a room had no session (a phone call), then its call says whose it is', async () => {
    const tenantId = await newTenant(storage);
    const tenant = storage.forTenant(tenantId);
    await tenant.personas.create(desk);
    const room = `sip_${randomUUID()}`;
    const call = await tenant.calls.create({ personaId: 'desk', channel: 'phone', roomName: room });
    assert.equal(await storage.tenantOfRoom(room), tenantId);
    assert.equal(await storage.tenantOfCall(call.id), tenantId);
    assert.equal(await storage.tenantOfCall('call_none'), undefined);
  });

  test('when calls are open in several tenants, then all of them are counted', async () => {
    const before = await storage.countActiveCalls();
    const a = storage.forTenant(await newTenant(storage));
    const b = storage.forTenant(await newTenant(storage));
    for (const tenant of [a, b]) {
      await tenant.personas.create(desk);
      await tenant.calls.create({ personaId: 'desk', channel: 'web', roomName: randomUUID() });
    }
    const ended = await a.calls.create({
      personaId: 'desk',
      channel: 'web',
      roomName: randomUUID(),
    });
    await a.calls.close(ended.id, { outcome: 'completed' });
    assert.equal(await storage.countActiveCalls(), before + 2);
  });

  test('when a tenant is created, then it comes with its first key, or neither exists', async () => {
    const slug = `made-${randomUUID().slice(0, 8)}`;
    const { tenant, key } = await storage.createTenant(
      { slug, name: 'Made' },
      { name: 'first', scopes: ['admin'] },
    );
    assert.equal((await storage.verifyApiKey(key.plaintext))?.tenantId, tenant.id);

    const keysBefore = await storage.db.query('SELECT id FROM api_keys');
    await assert.rejects(
      storage.createTenant({ slug, name: 'Again' }, { name: 'first', scopes: ['admin'] }),
      (err) => err instanceof DomainError && err.code === 'conflict',
    );
    await assert.rejects(
      storage.createTenant({ slug: `${slug}-x`, name: 'No key' }, { name: '', scopes: ['admin'] }),
      (err) => err instanceof DomainError && err.code === 'invalid_request',
    );
    assert.equal(await storage.tenants.getBySlug(`${slug}-x`), undefined, 'rolled back');
    assert.equal((await storage.db.query('SELECT id FROM api_keys')).length, keysBefore.length);
  });
});
