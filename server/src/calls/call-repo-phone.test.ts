import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { DomainError } from '../domain-errors.js';
import type { Storage, TenantStorage } from '../storage/storage.js';
import { forEachBackend, newTenant, openFresh } from '../../test/test-backends.js';

const PERSONA = { id: 'desk', name: 'Desk', greeting: 'Hello!', instructions: 'Help.' };
const CALLER = '+14155550123';

function isDomainError(code: string): (err: unknown) => boolean {
  return (err) => err instanceof DomainError && err.code === code;
}

forEachBackend((backend) => {
  let storage: Storage;
  before(async () => {
    storage = await openFresh(backend);
  });

  async function tenantWithPersona(): Promise<TenantStorage> {
    const tenant = storage.forTenant(await newTenant(storage, 'phone'));
    await tenant.personas.create(PERSONA);
    return tenant;
  }

  test('when an outbound call progresses, then each new status is a change and a repeat is not', async () => {
    const { calls } = await tenantWithPersona();
    const call = await calls.create({
      personaId: 'desk',
      channel: 'phone',
      roomName: 'phone-out-1',
      caller: { phoneNumber: CALLER },
      direction: 'outbound',
      phoneStatus: 'dialing',
    });
    assert.equal(call.direction, 'outbound');
    assert.equal(call.phoneStatus, 'dialing');

    const ringing = await calls.setPhoneStatus(call.id, 'ringing');
    const again = await calls.setPhoneStatus(call.id, 'ringing');
    const answered = await calls.setPhoneStatus(call.id, 'answered');

    assert.deepEqual([ringing.changed, again.changed, answered.changed], [true, false, true]);
    assert.equal(answered.call.phoneStatus, 'answered');
    assert.equal((await calls.get(call.id))?.phoneStatus, 'answered');
    await assert.rejects(calls.setPhoneStatus('call_missing', 'busy'), isDomainError('not_found'));
  });

  test('when a leg is reported again, then it is one leg whose status moves on and whose start stays', async () => {
    const { calls } = await tenantWithPersona();
    const call = await calls.create({ personaId: 'desk', channel: 'web', roomName: 'web-1' });
    await calls.upsertLeg(call.id, { kind: 'web', identity: 'visitor-1' });
    await calls.upsertLeg(call.id, {
      kind: 'phone',
      identity: 'phone-abc',
      phoneNumber: CALLER,
      direction: 'outbound',
      status: 'dialing',
      startedAt: '2030-01-01T10:00:00.000Z',
    });
    const updated = await calls.upsertLeg(call.id, {
      kind: 'phone',
      identity: 'phone-abc',
      status: 'answered',
      startedAt: '2030-01-01T10:00:09.000Z',
    });

    assert.deepEqual(updated, {
      kind: 'phone',
      identity: 'phone-abc',
      phoneNumber: CALLER,
      direction: 'outbound',
      status: 'answered',
      startedAt: '2030-01-01T10:00:00.000Z',
    });
    const detail = await calls.get(call.id);
    assert.deepEqual(
      detail?.legs.map((l) => [l.identity, l.status]),
      [
        ['visitor-1', undefined],
        ['phone-abc', 'answered'],
      ],
    );
    await assert.rejects(
      calls.upsertLeg('call_missing', { kind: 'web', identity: 'x' }),
      isDomainError('not_found'),
    );
    await assert.rejects(
      calls.upsertLeg(call.id, { kind: 'web', identity: 'x', startedAt: 'yesterday' }),
      isDomainError('invalid_request'),
    );
  });

  test('when the same warning is reported twice, then the call keeps it once', async () => {
    const { calls } = await tenantWithPersona();
    const call = await calls.create({ personaId: 'desk', channel: 'phone', roomName: 'phone-w' });
    const warning = {
      code: 'narrowband_audio',
      message: 'PCMU: recognition will be poor',
    } as const;

    const first = await calls.addWarning(call.id, warning);
    const retry = await calls.addWarning(call.id, warning);
    await calls.addWarning(call.id, {
      code: 'transfer_failed',
      message: 'nobody answered',
      at: '2099-01-01T00:00:00.000Z',
    });

    assert.deepEqual(retry, first);
    const detail = await calls.get(call.id);
    assert.deepEqual(
      detail?.warnings.map((w) => w.code),
      ['narrowband_audio', 'transfer_failed'],
    );
    await assert.rejects(calls.addWarning('call_missing', warning), isDomainError('not_found'));
  });

  test('when a phone caller pressed keys, then the turn keeps the digits in order', async () => {
    const { calls } = await tenantWithPersona();
    const call = await calls.create({ personaId: 'desk', channel: 'phone', roomName: 'phone-d' });
    await calls.appendTurn(call.id, 't1', { userText: 'my order', dtmf: '4217#' });
    await calls.appendTurn(call.id, 't2', { userText: 'thanks' });

    const turns = (await calls.get(call.id))?.turns ?? [];
    assert.deepEqual(
      turns.map((t) => t.dtmf),
      ['4217#', undefined],
    );
  });

  test('when a number called before, then its history counts its ended calls in this tenant only', async () => {
    const tenant = await tenantWithPersona();
    const other = await tenantWithPersona();
    const { calls } = tenant;
    const older = await calls.create({
      personaId: 'desk',
      channel: 'phone',
      roomName: 'h-1',
      caller: { phoneNumber: CALLER },
      startedAt: '2030-01-01T09:00:00.000Z',
    });
    await calls.close(older.id, { outcome: 'completed', summary: 'Asked about opening hours.' });
    const newer = await calls.create({
      personaId: 'desk',
      channel: 'phone',
      roomName: 'h-2',
      caller: { phoneNumber: CALLER },
      startedAt: '2030-01-02T09:00:00.000Z',
    });
    await calls.close(newer.id, { outcome: 'completed', summary: 'Booked a table for two.' });
    // The call asking right now, and another caller's and another tenant's, are not history.
    await calls.create({
      personaId: 'desk',
      channel: 'phone',
      roomName: 'h-3',
      caller: { phoneNumber: CALLER },
    });
    await calls.create({
      personaId: 'desk',
      channel: 'phone',
      roomName: 'h-4',
      caller: { phoneNumber: '+14155550999' },
    });
    const elsewhere = await other.calls.create({
      personaId: 'desk',
      channel: 'phone',
      roomName: 'h-5',
      caller: { phoneNumber: CALLER },
    });
    await other.calls.close(elsewhere.id, { outcome: 'completed', summary: 'Other tenant.' });

    assert.deepEqual(await calls.historyOfPhoneNumber(CALLER), {
      previousCalls: 2,
      lastCallAt: '2030-01-02T09:00:00.000Z',
      lastSummary: 'Booked a table for two.',
    });
    assert.deepEqual(await calls.historyOfPhoneNumber('+14155550111'), { previousCalls: 0 });
  });
});
