import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { DomainError } from '../domain-errors.js';
import type { PersonaInput } from '@parley/contracts';
import type { Storage } from '../storage/storage.js';
import { forEachBackend, newTenant, openFresh } from '../../test/test-backends.js';

const SHOP: PersonaInput = {
  id: 'shop',
  name: 'Shop assistant',
  greeting: 'Hi, welcome to the shop!',
  instructions: 'Help with orders.',
};

function isDomainError(code: string): (err: unknown) => boolean {
  return (err) => err instanceof DomainError && err.code === code;
}

forEachBackend((backend) => {
  let storage: Storage;
  before(async () => {
    storage = await openFresh(backend);
  });

  test('when a persona is created, then it is version 1 with every default filled in', async () => {
    const { personas } = storage.forTenant(await newTenant(storage));
    const created = await personas.create(SHOP);
    assert.equal(created.language, 'en-US');
    assert.deepEqual(await personas.get('shop'), created);
    const current = await personas.current('shop');
    assert.equal(current?.version, 1);
    assert.deepEqual(current?.persona, created);
  });

  test('when a persona is edited twice, then each edit is a new version and old ones stay readable', async () => {
    const { personas } = storage.forTenant(await newTenant(storage));
    await personas.create(SHOP);
    await personas.replace('shop', { ...SHOP, greeting: 'Hello again!' });
    const third = await personas.replace('shop', { ...SHOP, id: 'ignored', greeting: 'Third!' });

    assert.equal(third.id, 'shop', 'the path id wins over the body id');
    assert.equal((await personas.get('shop'))?.greeting, 'Third!');
    assert.equal((await personas.current('shop'))?.version, 3);
    assert.equal((await personas.getVersion('shop', 1))?.persona.greeting, SHOP.greeting);
    assert.equal((await personas.getVersion('shop', 2))?.persona.greeting, 'Hello again!');
    assert.equal(await personas.getVersion('shop', 4), undefined);
    const versions = await personas.versions('shop');
    assert.deepEqual(
      versions.map((v) => [v.version, v.persona.greeting]),
      [
        [1, SHOP.greeting],
        [2, 'Hello again!'],
        [3, 'Third!'],
      ],
    );
    assert.deepEqual(await personas.list(), [third]);
  });

  test('when edits race, then every edit gets its own version number', async () => {
    const { personas } = storage.forTenant(await newTenant(storage));
    await personas.create(SHOP);
    await Promise.all(
      [1, 2, 3, 4, 5].map((n) => personas.replace('shop', { ...SHOP, greeting: `edit ${n}` })),
    );
    const versions = await personas.versions('shop');
    assert.deepEqual(
      versions.map((v) => v.version),
      [1, 2, 3, 4, 5, 6],
    );
    assert.equal((await personas.current('shop'))?.version, 6);
  });

  test('when a call starts, then it records the persona version it used, which later edits do not change', async () => {
    const tenant = storage.forTenant(await newTenant(storage));
    await tenant.personas.create(SHOP);
    const before = await tenant.calls.create({ personaId: 'shop', channel: 'web', roomName: 'r1' });
    await tenant.personas.replace('shop', { ...SHOP, greeting: 'New greeting' });
    const after = await tenant.calls.create({ personaId: 'shop', channel: 'web', roomName: 'r2' });
    const pinned = await tenant.calls.create({
      personaId: 'shop',
      personaVersion: 1,
      channel: 'phone',
      roomName: 'r3',
    });

    assert.equal(before.personaVersion, 1);
    assert.equal(after.personaVersion, 2);
    assert.equal(pinned.personaVersion, 1);
    assert.equal((await tenant.calls.get(before.id))?.personaVersion, 1);
    const used = await tenant.personas.getVersion('shop', before.personaVersion);
    assert.equal(used?.persona.greeting, SHOP.greeting);
    await assert.rejects(
      tenant.calls.create({ personaId: 'shop', personaVersion: 9, channel: 'web', roomName: 'r4' }),
      isDomainError('persona_not_found'),
    );
  });

  test('when a persona id is taken or unknown, then create conflicts and replace is not found', async () => {
    const { personas } = storage.forTenant(await newTenant(storage));
    await personas.create(SHOP);
    await assert.rejects(personas.create(SHOP), isDomainError('conflict'));
    await assert.rejects(personas.replace('nope', SHOP), isDomainError('persona_not_found'));
    await assert.rejects(personas.versions('nope'), isDomainError('persona_not_found'));
    await assert.rejects(
      personas.create({ ...SHOP, id: 'Bad Id' }),
      isDomainError('invalid_request'),
    );
    assert.equal((await personas.versions('shop')).length, 1, 'failed writes left no version');
  });

  test('when two tools share a name (or take the reserved opt_out) or a persona hands off to itself, then the save is refused', async () => {
    const { personas } = storage.forTenant(await newTenant(storage));
    const tool = { name: 'capture_lead', description: 'x', url: 'https://crm.example/hook' };
    await assert.rejects(
      personas.create({ ...SHOP, tools: ['capture_lead'], webhookTools: [tool] }),
      (err) =>
        isDomainError('invalid_request')(err) && /already named 'capture_lead'/.test(String(err)),
    );
    await assert.rejects(
      personas.create({ ...SHOP, webhookTools: [{ ...tool, name: 'opt_out' }] }),
      (err) => isDomainError('invalid_request')(err) && /already named 'opt_out'/.test(String(err)),
      'opt_out is every phone call’s own',
    );
    await assert.rejects(
      personas.create({ ...SHOP, handoffs: [{ personaId: 'shop', when: 'always' }] }),
      (err) => isDomainError('invalid_request')(err) && /hand off to itself/.test(String(err)),
    );
    await personas.create({
      ...SHOP,
      tools: ['capture_lead'],
      webhookTools: [{ ...tool, name: 'crm' }],
    });
  });

  test('when two tenants use the same persona id, then each sees only its own', async () => {
    const a = storage.forTenant(await newTenant(storage, 'a'));
    const b = storage.forTenant(await newTenant(storage, 'b'));
    await a.personas.create(SHOP);
    assert.equal(await b.personas.get('shop'), undefined);
    assert.deepEqual(await b.personas.list(), []);
    await assert.rejects(b.personas.replace('shop', SHOP), isDomainError('persona_not_found'));
    await b.personas.create({ ...SHOP, name: 'B shop' });
    assert.equal((await a.personas.get('shop'))?.name, SHOP.name);
    assert.equal((await b.personas.get('shop'))?.name, 'B shop');
  });

  test('when the default tenant is ensured twice, then it exists once with the default persona', async () => {
    const first = await storage.ensureDefaultTenant();
    const second = await storage.ensureDefaultTenant();
    assert.equal(first.id, second.id);
    const { personas } = storage.forTenant(first.id);
    assert.equal((await personas.get('default'))?.id, 'default');
    assert.equal((await personas.versions('default')).length, 1);
  });
});
