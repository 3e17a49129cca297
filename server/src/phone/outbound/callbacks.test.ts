import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { BusinessHours } from '@parley/contracts';
import { DomainError } from '../../domain-errors.js';
import { callbackTime } from './callbacks.js';

/** Weekdays 09:00–17:00 in New York (daylight saving starts on Sunday, March 9 2025). */
const WEEKDAYS_NY: BusinessHours = {
  timeZone: 'America/New_York',
  weekly: (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({
    day,
    open: '09:00',
    close: '17:00',
  })),
  appointmentMinutes: 30,
};
/** Friday, March 7 2025, 10:00 in New York. */
const NOW = new Date('2025-03-07T15:00:00Z');

const codeOf = (code: string) => (error: unknown) =>
  error instanceof DomainError && error.code === code;

describe('callbackTime', () => {
  test('when the time asked for is inside the calling hours, then it is kept', () => {
    const asked = new Date('2025-03-07T20:00:00Z'); // Friday 15:00 in New York
    assert.deepEqual(callbackTime(WEEKDAYS_NY, asked, NOW), { at: asked, moved: false });
  });

  test('when it is outside them, then the call back moves to the start of the next ones, across a weekend and a clock change', () => {
    const fridayEvening = new Date('2025-03-07T23:30:00Z'); // Friday 18:30, EST
    assert.deepEqual(callbackTime(WEEKDAYS_NY, fridayEvening, NOW), {
      at: new Date('2025-03-10T13:00:00Z'), // Monday 09:00, EDT
      moved: true,
    });
  });

  test('when it is in the last minutes before they close, then it moves to the next ones', () => {
    const justBeforeClose = new Date('2025-03-07T21:57:00Z'); // Friday 16:57
    assert.equal(
      callbackTime(WEEKDAYS_NY, justBeforeClose, NOW).at.toISOString(),
      '2025-03-10T13:00:00.000Z',
    );
  });

  test('when the persona has no calling hours, then any time is kept', () => {
    const midnight = new Date('2025-03-08T05:00:00Z');
    assert.deepEqual(callbackTime(undefined, midnight, NOW), { at: midnight, moved: false });
  });

  test('when the time has just passed, then it means now; long passed, it is refused', () => {
    const aMinuteAgo = new Date(NOW.getTime() - 60_000);
    assert.deepEqual(callbackTime(WEEKDAYS_NY, aMinuteAgo, NOW), { at: NOW, moved: false });
    const yesterday = new Date(NOW.getTime() - 86_400_000);
    assert.throws(() => callbackTime(WEEKDAYS_NY, yesterday, NOW), codeOf('in_the_past'));
  });

  test('when the calling hours never open, then the call back is refused as outside them', () => {
    const never: BusinessHours = { ...WEEKDAYS_NY, weekly: [] };
    assert.throws(() => callbackTime(never, NOW, NOW), codeOf('outside_calling_hours'));
  });
});
