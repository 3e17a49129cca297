import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { freeSlots, isWithinBusinessHours, openIntervals, zonedInstant } from './business-hours.js';
import { BusinessHoursSchema } from './persona.js';

const newYork = BusinessHoursSchema.parse({
  timeZone: 'America/New_York',
  weekly: [
    { day: 'mon', open: '09:00', close: '12:00' },
    { day: 'mon', open: '13:00', close: '17:00' },
    { day: 'sat', open: '10:00', close: '11:00' },
  ],
  appointmentMinutes: 30,
});

describe('business hours', () => {
  it('converts a wall-clock time to an instant on both sides of a DST change', () => {
    // New York: EST (UTC-5) in January, EDT (UTC-4) in July.
    const winter = zonedInstant(
      { year: 2026, month: 1, day: 5, hour: 9, minute: 0 },
      newYork.timeZone,
    );
    const summer = zonedInstant(
      { year: 2026, month: 7, day: 6, hour: 9, minute: 0 },
      newYork.timeZone,
    );
    assert.equal(winter.toISOString(), '2026-01-05T14:00:00.000Z');
    assert.equal(summer.toISOString(), '2026-07-06T13:00:00.000Z');
  });

  it('lists the open intervals of a week in order', () => {
    // Monday 2026-11-23 to Sunday 2026-11-29 (EST).
    const week = openIntervals(
      newYork,
      new Date('2026-11-23T00:00:00-05:00'),
      new Date('2026-11-30T00:00:00-05:00'),
    );
    assert.deepEqual(
      week.map((i) => [i.start.toISOString(), i.end.toISOString()]),
      [
        ['2026-11-23T14:00:00.000Z', '2026-11-23T17:00:00.000Z'],
        ['2026-11-23T18:00:00.000Z', '2026-11-23T22:00:00.000Z'],
        ['2026-11-28T15:00:00.000Z', '2026-11-28T16:00:00.000Z'],
      ],
    );
  });

  it('knows what is inside and outside the hours', () => {
    const at = (iso: string, minutes = 30) =>
      [new Date(iso), new Date(new Date(iso).getTime() + minutes * 60_000)] as const;
    assert.equal(isWithinBusinessHours(newYork, ...at('2026-11-23T09:00:00-05:00')), true);
    assert.equal(isWithinBusinessHours(newYork, ...at('2026-11-23T11:45:00-05:00')), false);
    assert.equal(isWithinBusinessHours(newYork, ...at('2026-11-24T10:00:00-05:00')), false);
    assert.equal(isWithinBusinessHours(newYork, ...at('2026-11-28T10:30:00-05:00')), true);
  });

  it('offers free slots that skip booked ones', () => {
    const slots = freeSlots(
      newYork,
      new Date('2026-11-23T10:10:00-05:00'),
      new Date('2026-11-24T00:00:00-05:00'),
      [
        {
          start: new Date('2026-11-23T11:00:00-05:00'),
          end: new Date('2026-11-23T11:30:00-05:00'),
        },
      ],
      3,
    );
    assert.deepEqual(
      slots.map((s) => s.start.toISOString()),
      ['2026-11-23T15:30:00.000Z', '2026-11-23T16:30:00.000Z', '2026-11-23T18:00:00.000Z'],
    );
  });
});
