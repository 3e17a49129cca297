import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { Storage } from '../../storage/storage.js';
import { forEachBackend, newTenant, openFresh } from '../../../test/test-backends.js';

forEachBackend((backend) => {
  let storage: Storage;
  before(async () => {
    storage = await openFresh(backend);
  });

  test("a tenant's trunks are its own, listed by name, and replaced in place", async () => {
    const a = storage.forTenant(await newTenant(storage, 'a'));
    const b = storage.forTenant(await newTenant(storage, 'b'));
    const trunk = {
      name: 'zeta',
      address: 'sip.example:5060',
      numbers: ['+15550000001'],
      transport: 'udp' as const,
      trunkId: 'ST_1',
    };
    await a.outboundTrunks.put(trunk);
    await a.outboundTrunks.put({
      ...trunk,
      name: 'alpha',
      trunkId: 'ST_2',
      authUsername: 'u',
      authSecret: 'S',
    });
    const replaced = await a.outboundTrunks.put({
      ...trunk,
      trunkId: 'ST_3',
      numbers: ['+15550000002', '+15550000003'],
    });
    assert.deepEqual(replaced.numbers, ['+15550000002', '+15550000003']);
    assert.deepEqual(
      (await a.outboundTrunks.list()).map((t) => [t.name, t.trunkId]),
      [
        ['alpha', 'ST_2'],
        ['zeta', 'ST_3'],
      ],
    );
    assert.equal((await a.outboundTrunks.get('alpha'))?.authSecret, 'S');
    assert.deepEqual(await b.outboundTrunks.list(), [], 'tenants never share trunks');
    await assert.rejects(b.outboundTrunks.remove('alpha'), { code: 'not_found' });
    assert.equal((await a.outboundTrunks.remove('alpha')).trunkId, 'ST_2');
  });

  test('the dial policy is the default until set; the do-not-call list is per tenant', async () => {
    const a = storage.forTenant(await newTenant(storage, 'a'));
    const b = storage.forTenant(await newTenant(storage, 'b'));
    assert.deepEqual(await a.dialRules.policy(), {
      allowedPrefixes: [],
      maxConcurrentPhoneCalls: 5,
    });
    await a.dialRules.setPolicy({ allowedPrefixes: ['+44', '+1'], maxConcurrentPhoneCalls: 2 });
    assert.deepEqual(await a.dialRules.policy(), {
      allowedPrefixes: ['+1', '+44'],
      maxConcurrentPhoneCalls: 2,
    });
    assert.deepEqual((await b.dialRules.policy()).allowedPrefixes, []);

    await a.dialRules.addDoNotCall('+15550000009', 'asked');
    assert.equal(await a.dialRules.isDoNotCall('+15550000009'), true);
    assert.equal(await b.dialRules.isDoNotCall('+15550000009'), false);
    await a.dialRules.removeDoNotCall('+15550000009');
    assert.equal(await a.dialRules.isDoNotCall('+15550000009'), false);
    await assert.rejects(a.dialRules.removeDoNotCall('+15550000009'), { code: 'not_found' });
  });

  test("active phone calls count the tenant's unended phone calls and web calls on a phone leg", async () => {
    const tenant = storage.forTenant(await newTenant(storage, 'calls'));
    await tenant.personas.ensureDefault();
    const phone = (room: string) =>
      tenant.calls.create({ personaId: 'default', channel: 'phone', roomName: room });
    await phone('p1');
    const ended = await phone('p2');
    const web = await tenant.calls.create({ personaId: 'default', channel: 'web', roomName: 'w1' });
    await tenant.calls.close(ended.id, { outcome: 'completed' });
    assert.equal(await tenant.dialRules.activePhoneCalls(), 1);
    // A web call continued on the visitor's phone uses the phone network too, while it rings or talks.
    const leg = { kind: 'phone' as const, identity: 'phone-1', status: 'dialing' as const };
    await tenant.calls.upsertLeg(web.id, leg);
    assert.equal(await tenant.dialRules.activePhoneCalls(), 2);
    await tenant.calls.upsertLeg(web.id, { ...leg, status: 'busy' });
    assert.equal(await tenant.dialRules.activePhoneCalls(), 1);
  });
});
