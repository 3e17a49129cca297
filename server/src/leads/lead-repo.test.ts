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

  test('when a lead is captured on a call, then it is listed newest first and found by call', async () => {
    const tenant = storage.forTenant(await newTenant(storage));
    await tenant.personas.create({ id: 'p', name: 'P', greeting: 'Hi', instructions: '' });
    const call = await tenant.calls.create({ personaId: 'p', channel: 'web', roomName: 'r' });
    const older = await tenant.leads.create({ name: 'Ada', email: 'ada@example.com' });
    // Leads are ordered by creation time, kept to the millisecond; make sure the two differ.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const newer = await tenant.leads.create({
      callId: call.id,
      phone: '+14155550100',
      temperature: 'hot',
      data: { budget: 5000 },
    });

    assert.deepEqual(await tenant.leads.get(newer.id), newer);
    assert.equal(newer.callId, call.id);
    assert.deepEqual(newer.data, { budget: 5000 });
    assert.equal('name' in newer, false, 'absent fields are left out, not null');
    const firstPage = await tenant.leads.list({ limit: 1 });
    assert.deepEqual(firstPage.items, [newer]);
    const secondPage = await tenant.leads.list({ limit: 1, cursor: firstPage.nextCursor });
    assert.deepEqual(secondPage, { items: [older] });
    assert.deepEqual((await tenant.leads.list({ callId: call.id })).items, [newer]);
  });

  test('when a lead has no way to reach anyone or names an unknown call, then it is refused', async () => {
    const { leads } = storage.forTenant(await newTenant(storage));
    const code = (c: string) => (err: unknown) => err instanceof DomainError && err.code === c;
    await assert.rejects(leads.create({ notes: 'just a note' }), code('invalid_request'));
    await assert.rejects(leads.create({ email: 'not-an-email' }), code('invalid_request'));
    await assert.rejects(leads.create({ name: 'Ada', callId: 'call_nope' }), code('not_found'));
  });

  test('when a lead is captured twice with one key, then it is stored once', async () => {
    const tenant = storage.forTenant(await newTenant(storage));
    await tenant.personas.create({ id: 'p', name: 'P', greeting: 'Hi', instructions: '' });
    const call = await tenant.calls.create({ personaId: 'p', channel: 'web', roomName: 'r' });
    const lead = { name: 'Ada', temperature: 'warm', data: { score: 50 } } as const;

    const first = await tenant.leads.capture(call.id, 'lead-1', lead);
    const retry = await tenant.leads.capture(call.id, 'lead-1', { ...lead, name: 'Changed' });
    const racing = await Promise.all(
      [1, 2, 3].map(() => tenant.leads.capture(call.id, 'lead-2', { name: 'Bob' })),
    );
    const other = await tenant.leads.capture(call.id, 'lead-3', { name: 'Cy' });

    assert.equal(first.created, true);
    assert.deepEqual(retry, { lead: first.lead, created: false });
    assert.equal(racing.filter((r) => r.created).length, 1);
    assert.equal(new Set(racing.map((r) => r.lead.id)).size, 1);
    assert.equal(other.created, true);
    assert.equal((await tenant.leads.list({ callId: call.id })).items.length, 3);
  });

  test('when leads are listed by temperature and time, then only the matching ones come back', async () => {
    const { leads } = storage.forTenant(await newTenant(storage));
    const hot = await leads.create({ name: 'Ada', temperature: 'hot' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const cold = await leads.create({ name: 'Bob', temperature: 'cold' });
    const names = async (query: Parameters<typeof leads.list>[0]) =>
      (await leads.list(query)).items.map((l) => l.name);

    assert.deepEqual(await names({ temperature: 'hot' }), ['Ada']);
    assert.deepEqual(await names({ temperature: 'warm' }), []);
    assert.deepEqual(await names({ from: cold.createdAt }), ['Bob']);
    assert.deepEqual(await names({ to: cold.createdAt }), ['Ada']);
    assert.deepEqual(await names({ from: hot.createdAt, to: cold.createdAt }), ['Ada']);
  });

  test('when a phone number is assigned, then it routes to its tenant and persona only', async () => {
    const a = storage.forTenant(await newTenant(storage, 'a'));
    const b = storage.forTenant(await newTenant(storage, 'b'));
    for (const t of [a, b]) {
      await t.personas.create({ id: 'sales', name: 'Sales', greeting: 'Hi', instructions: '' });
    }
    await a.personas.create({ id: 'support', name: 'Support', greeting: 'Hi', instructions: '' });
    const code = (c: string) => (err: unknown) => err instanceof DomainError && err.code === c;

    await a.phoneNumbers.assign({ e164: '+14155550123', personaId: 'sales' });
    await a.phoneNumbers.assign({ e164: '+14155550123', personaId: 'support', label: 'main' });

    assert.deepEqual(
      { ...(await storage.resolvePhoneNumber('+14155550123')), createdAt: undefined },
      {
        e164: '+14155550123',
        tenantId: a.tenantId,
        personaId: 'support',
        label: 'main',
        createdAt: undefined,
      },
    );
    await assert.rejects(
      b.phoneNumbers.assign({ e164: '+14155550123', personaId: 'sales' }),
      code('conflict'),
    );
    await assert.rejects(
      a.phoneNumbers.assign({ e164: '+14155550124', personaId: 'ghost' }),
      code('persona_not_found'),
    );
    await assert.rejects(
      a.phoneNumbers.assign({ e164: '555-0123', personaId: 'sales' }),
      code('invalid_request'),
    );
    assert.deepEqual(await b.phoneNumbers.list(), []);
    await assert.rejects(b.phoneNumbers.remove('+14155550123'), code('not_found'));
    await a.phoneNumbers.remove('+14155550123');
    assert.equal(await storage.resolvePhoneNumber('+14155550123'), undefined);
  });
});
