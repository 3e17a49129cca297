import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DomainError } from '../domain-errors.js';
import { availability, bookForCall } from './booking.js';
import { PersonaSchema, type Persona } from '@parley/contracts';
import { Storage, type TenantStorage } from '../storage/index.js';
import { pglite } from '../../test/test-backends.js';

/** Weekdays 09:00–12:00 in New York (UTC-5 in winter, UTC-4 in summer), 60-minute slots. */
const persona: Persona = PersonaSchema.parse({
  id: 'ny',
  name: 'NY',
  greeting: 'Hi',
  instructions: '',
  businessHours: {
    timeZone: 'America/New_York',
    weekly: (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({
      day,
      open: '09:00',
      close: '12:00',
    })),
    appointmentMinutes: 60,
  },
});
const NOW = new Date('2030-01-01T00:00:00Z');

let storage: Storage;
let tenant: TenantStorage;
let callId = '';

before(async () => {
  storage = await Storage.open(await pglite.fresh());
  tenant = storage.forTenant((await storage.ensureDefaultTenant()).id);
  await tenant.personas.create(persona);
  callId = (await tenant.calls.create({ personaId: 'ny', channel: 'phone', roomName: 'r' })).id;
});
after(() => storage.close());

const refusal = (code: string, message: RegExp) => (err: unknown) =>
  err instanceof DomainError && err.code === code && message.test(err.message);

test('a weekend request is refused naming Monday morning in local time and offset, winter and summer', async () => {
  const book = (key: string, startsAt: string) =>
    bookForCall(
      tenant.appointments,
      persona,
      { callId, key, args: { startsAt, name: 'Ada' } },
      NOW,
    );

  await assert.rejects(
    book('w', '2030-01-05T10:00:00-05:00'),
    refusal(
      'outside_business_hours',
      /^Sat 2030-01-05 10:00 \(2030-01-05T10:00:00-05:00\) is outside business hours; next free slots: Mon 2030-01-07 09:00 \(2030-01-07T09:00:00-05:00\); Mon 2030-01-07 10:00 /,
    ),
  );
  await assert.rejects(
    book('s', '2030-07-06T10:00:00-04:00'),
    refusal(
      'outside_business_hours',
      /next free slots: Mon 2030-07-08 09:00 \(2030-07-08T09:00:00-04:00\)/,
    ),
  );
});

test('a booking lasts the persona length; availability then skips it', async () => {
  const { appointment, created } = await bookForCall(
    tenant.appointments,
    persona,
    { callId, key: 'a', args: { startsAt: '2030-01-07T14:00:00Z', name: 'Ada' } },
    NOW,
  );
  assert.equal(created, true);
  assert.deepEqual(
    [appointment.startsAt, appointment.endsAt],
    ['2030-01-07T14:00:00.000Z', '2030-01-07T15:00:00.000Z'],
  );

  const free = await availability(
    tenant.appointments,
    persona,
    { from: '2030-01-07T00:00:00Z', days: 1, limit: 10 },
    NOW,
  );
  assert.deepEqual(free, {
    timeZone: 'America/New_York',
    slots: [
      { startsAt: '2030-01-07T15:00:00.000Z', endsAt: '2030-01-07T16:00:00.000Z' },
      { startsAt: '2030-01-07T16:00:00.000Z', endsAt: '2030-01-07T17:00:00.000Z' },
    ],
  });
});

test('availability never offers a slot before now', async () => {
  const free = await availability(
    tenant.appointments,
    persona,
    { from: '2029-01-01T00:00:00Z', days: 1, limit: 10 },
    new Date('2030-01-08T15:30:00Z'),
  );
  assert.deepEqual(
    free.slots.map((s) => s.startsAt),
    ['2030-01-08T16:00:00.000Z', '2030-01-09T14:00:00.000Z', '2030-01-09T15:00:00.000Z'],
  );
});
