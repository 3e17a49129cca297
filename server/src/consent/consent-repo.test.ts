import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { Storage, TenantStorage } from '../storage/storage.js';
import { forEachBackend, newTenant, openFresh } from '../../test/test-backends.js';

const ACCEPTED = {
  personaId: 'p',
  version: '2',
  text: 'This call is recorded. Do you agree?',
  acceptedAt: '2030-01-01T09:00:00.000Z',
  visitorId: 'vis-1',
  origin: 'https://shop.example',
};

forEachBackend((backend) => {
  let storage: Storage;
  before(async () => {
    storage = await openFresh(backend);
  });

  async function tenantWithPersona(): Promise<TenantStorage> {
    const tenant = storage.forTenant(await newTenant(storage));
    await tenant.personas.create({ id: 'p', name: 'P', greeting: 'Hi', instructions: '' });
    return tenant;
  }

  test('when the call of a session with consent is created, then it gets the receipt once', async () => {
    const { calls, consents } = await tenantWithPersona();
    await consents.rememberForSession({ ...ACCEPTED, roomName: 'web_a' });
    const call = await calls.create({ personaId: 'p', channel: 'web', roomName: 'web_a' });

    await consents.attachSessionConsent(call.id, 'web_a');
    await consents.attachSessionConsent(call.id, 'web_a');

    const receipts = await consents.listForCall(call.id);
    assert.equal(receipts.length, 1);
    assert.deepEqual(
      { ...receipts[0], id: undefined },
      {
        id: undefined,
        callId: call.id,
        textVersion: '2',
        text: ACCEPTED.text,
        acceptedAt: ACCEPTED.acceptedAt,
        visitorId: 'vis-1',
        origin: 'https://shop.example',
      },
    );
    const pending = await storage.db.query('SELECT 1 FROM session_consents WHERE room_name = $1', [
      'web_a',
    ]);
    assert.equal(pending.length, 0, 'the pending consent moved to the receipt');
  });

  test('when a room had no consent, or another tenant gave it, then the call has no receipt', async () => {
    const a = await tenantWithPersona();
    const b = await tenantWithPersona();
    await b.consents.rememberForSession({ ...ACCEPTED, roomName: 'web_b' });
    const call = await a.calls.create({ personaId: 'p', channel: 'web', roomName: 'web_b' });
    await a.consents.attachSessionConsent(call.id, 'web_b');
    assert.deepEqual(await a.consents.listForCall(call.id), []);
  });
});
