import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { Storage } from '../storage/storage.js';
import { forEachBackend, newTenant, openFresh } from '../../test/test-backends.js';
import { allPhoneNumbers } from './phone-number-repo.js';

const NUMBER = '+14155550166';

forEachBackend((backend) => {
  let storage: Storage;
  before(async () => {
    storage = await openFresh(backend);
  });

  test('a number keeps who may reach it and its LiveKit ids until provisioning changes them', async () => {
    const tenant = storage.forTenant(await newTenant(storage, 'numbers'));
    const other = storage.forTenant(await newTenant(storage, 'others'));
    await tenant.personas.create({ id: 'desk', name: 'Desk', greeting: 'Hi', instructions: '' });
    await tenant.personas.create({ id: 'sales', name: 'Sales', greeting: 'Hi', instructions: '' });
    await tenant.phoneNumbers.assign(
      { e164: NUMBER, personaId: 'desk', label: 'main' },
      {
        allowedAddresses: ['203.0.113.0/24'],
        authUsername: 'carrier',
        authSecret: 'SIP_INBOUND_14155550166',
        trunkId: 'ST_1',
        dispatchRuleId: 'SDR_1',
      },
    );
    // Re-pointed without provisioning (no access given): access and ids stay.
    const moved = await tenant.phoneNumbers.assign({ e164: NUMBER, personaId: 'sales' });
    const stored = await tenant.phoneNumbers.getStored(NUMBER);

    assert.equal(moved.personaId, 'sales');
    assert.equal(moved.label, undefined);
    assert.deepEqual(moved.allowedAddresses, ['203.0.113.0/24']);
    assert.equal(moved.authUsername, 'carrier');
    assert.deepEqual(
      [stored?.trunkId, stored?.dispatchRuleId, stored?.authSecret],
      ['ST_1', 'SDR_1', 'SIP_INBOUND_14155550166'],
    );
    await tenant.phoneNumbers.setProvisioning(NUMBER, 'ST_2', 'SDR_2');
    const repaired = await tenant.phoneNumbers.getStored(NUMBER);
    assert.deepEqual([repaired?.trunkId, repaired?.dispatchRuleId], ['ST_2', 'SDR_2']);
    // Provisioning again with other access replaces all of it.
    await tenant.phoneNumbers.assign({ e164: NUMBER, personaId: 'desk' }, { allowedAddresses: [] });
    const plain = await tenant.phoneNumbers.getStored(NUMBER);
    assert.deepEqual(
      [
        plain?.allowedAddresses,
        plain?.authUsername,
        plain?.trunkId,
        plain?.number.allowedAddresses,
      ],
      [[], undefined, undefined, undefined],
    );

    assert.equal(await other.phoneNumbers.takenElsewhere(NUMBER), true);
    assert.equal(await tenant.phoneNumbers.takenElsewhere(NUMBER), false);
    const all = await allPhoneNumbers(storage.db);
    assert.deepEqual(
      all.filter((n) => n.number.e164 === NUMBER).map((n) => n.number.tenantId),
      [tenant.tenantId],
    );
  });
});
