import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { appointmentTimeZone, spokenDateTime } from './appointment-tool.js';

describe('spokenDateTime', () => {
  const instant = new Date('2026-11-24T15:00:00Z');

  test('when read back in the business time zone, then weekday, date and time are said naturally', () => {
    assert.equal(
      spokenDateTime(instant, 'America/New_York', 'en-US'),
      'Tuesday, November 24 at 10:00 AM',
    );
    assert.equal(
      spokenDateTime(instant, 'Asia/Tokyo', 'en-US'),
      'Wednesday, November 25 at 12:00 AM',
    );
  });

  test("when the persona speaks another language, then it is said the persona's way", () => {
    assert.equal(spokenDateTime(instant, 'Europe/Paris', 'fr-FR'), 'mardi 24 novembre à 16:00');
  });

  test('when the language tag is not one Intl knows, then it is said in American English', () => {
    assert.equal(spokenDateTime(instant, 'UTC', 'not a tag'), 'Tuesday, November 24 at 3:00 PM');
  });

  test('when a persona has no business hours, then appointments are in UTC', () => {
    assert.equal(appointmentTimeZone({}), 'UTC');
    assert.equal(
      appointmentTimeZone({
        businessHours: { timeZone: 'Europe/Paris', weekly: [], appointmentMinutes: 30 },
      }),
      'Europe/Paris',
    );
  });
});
