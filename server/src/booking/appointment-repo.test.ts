import { ERROR_STATUS } from '@parley/contracts';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { DomainError } from '../domain-errors.js';
import { SlotTakenError } from './appointment-repo.js';
import type { Storage } from '../storage/storage.js';
import { forEachBackend, newTenant, openFresh } from '../../test/test-backends.js';

const TEN = { startsAt: '2030-03-01T10:00:00.000Z', endsAt: '2030-03-01T10:30:00.000Z' };

forEachBackend((backend) => {
  let storage: Storage;
  before(async () => {
    storage = await openFresh(backend);
  });

  test('when a booked slot is booked again or overlapped, then the second booking is refused with 409', async () => {
    const { appointments } = storage.forTenant(await newTenant(storage));
    const first = await appointments.book({ ...TEN, name: 'Ada' });

    await assert.rejects(appointments.book({ ...TEN, name: 'Bob' }), (err: unknown) => {
      assert.ok(err instanceof SlotTakenError);
      assert.ok(err instanceof DomainError);
      assert.equal(err.code, 'slot_taken');
      assert.equal(ERROR_STATUS[err.code], 409);
      return true;
    });
    await assert.rejects(
      appointments.book({
        startsAt: '2030-03-01T10:15:00.000Z',
        endsAt: '2030-03-01T10:45:00.000Z',
        name: 'Cy',
      }),
      SlotTakenError,
    );
    assert.deepEqual(await appointments.list(), [first]);
  });

  test('when bookings only touch end to start, then both are kept', async () => {
    const { appointments } = storage.forTenant(await newTenant(storage));
    await appointments.book({ ...TEN, name: 'Ada' });
    await appointments.book({
      startsAt: TEN.endsAt,
      endsAt: '2030-03-01T11:00:00.000Z',
      name: 'Bob',
    });
    assert.equal((await appointments.list()).length, 2);
  });

  test('when two bookings race for one slot, then exactly one wins', async () => {
    const { appointments } = storage.forTenant(await newTenant(storage));
    const results = await Promise.allSettled(
      ['Ada', 'Bob', 'Cy', 'Di'].map((name) => appointments.book({ ...TEN, name })),
    );
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    for (const r of results) {
      if (r.status === 'rejected') assert.ok(r.reason instanceof SlotTakenError);
    }
  });

  test('when another tenant books the same slot, then both bookings stand', async () => {
    const a = storage.forTenant(await newTenant(storage, 'a'));
    const b = storage.forTenant(await newTenant(storage, 'b'));
    await a.appointments.book({ ...TEN, name: 'Ada' });
    await b.appointments.book({ ...TEN, name: 'Bob' });
    assert.deepEqual(
      (await b.appointments.list()).map((x) => x.name),
      ['Bob'],
    );
  });

  test('when an appointment is cancelled, then its slot can be booked again', async () => {
    const { appointments } = storage.forTenant(await newTenant(storage));
    const first = await appointments.book({ ...TEN, name: 'Ada' });
    const cancelled = await appointments.cancel(first.id);
    const second = await appointments.book({ ...TEN, name: 'Bob' });

    assert.equal(cancelled.status, 'cancelled');
    assert.ok(cancelled.cancelledAt);
    assert.deepEqual(await appointments.list({ status: 'booked' }), [second]);
    assert.deepEqual(await appointments.list({ status: 'cancelled' }), [cancelled]);
    assert.equal((await appointments.list()).length, 2);
    assert.deepEqual(
      await appointments.list({ from: '2030-03-01T10:30:00.000Z' }),
      [],
      'an appointment ending when the window starts is outside it',
    );
  });

  test('when an appointment ends before it starts, then it is refused as invalid', async () => {
    const { appointments } = storage.forTenant(await newTenant(storage));
    await assert.rejects(
      appointments.book({ startsAt: TEN.endsAt, endsAt: TEN.startsAt, name: 'Ada' }),
      (err: unknown) => err instanceof DomainError && err.code === 'invalid_request',
    );
  });

  test('when a booking is retried with its key, then nothing new is booked', async () => {
    const tenant = storage.forTenant(await newTenant(storage));
    await tenant.personas.create({ id: 'p', name: 'P', greeting: 'Hi', instructions: '' });
    const call = await tenant.calls.create({ personaId: 'p', channel: 'phone', roomName: 'r' });
    const booking = { ...TEN, name: 'Ada', callId: call.id };

    const first = await tenant.appointments.book(booking, 'apt-1');
    const retry = await tenant.appointments.book(booking, 'apt-1');

    assert.ok(first);
    assert.equal(retry, undefined, 'the retry books nothing');
    assert.deepEqual(await tenant.appointments.findByKey(call.id, 'apt-1'), first);
    assert.equal(await tenant.appointments.findByKey(call.id, 'apt-2'), undefined);
    assert.deepEqual(await tenant.appointments.list({ callId: call.id }), [first]);
    assert.deepEqual(await tenant.appointments.list({ callId: 'call_other' }), []);
  });
});
