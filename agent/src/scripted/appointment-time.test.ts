import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isoInZone, parseWhen, spokenTime, spokenTimes, timeText } from './appointment-time.js';

const ZONE = 'America/New_York';
/** Friday, March 7 2025, 10:00 in New York (EST, UTC-5). */
const NOW = new Date('2025-03-07T15:00:00Z');

describe('times as callers say them', () => {
  test('spoken numbers become clock times and dates', () => {
    assert.equal(timeText('tomorrow at ten thirty'), 'tomorrow at 10:30');
    assert.equal(timeText("nine o'clock on monday"), '9:00 on monday');
    assert.equal(timeText('march tenth at nine am'), 'march 10th at 9 am');
    assert.equal(timeText('ten a.m. on tuesday'), '10 am on tuesday');
    assert.equal(timeText('the twenty first of march'), 'the 21st of march');
  });

  test('a bare hour from one to seven is the afternoon, unless the caller says otherwise', () => {
    assert.equal(timeText('monday at three'), 'monday at 3 pm');
    assert.equal(timeText('half past two on friday'), '2:30 pm on friday');
    assert.equal(timeText('at 3 am'), 'at 3 am');
    assert.equal(timeText('at nine'), 'at 9');
  });

  test('day and time are read in the business time zone, relative to now', () => {
    assert.deepEqual(parseWhen('tomorrow at ten thirty', NOW, ZONE), {
      day: { year: 2025, month: 3, day: 8 },
      dayGiven: true,
      time: { hour: 10, minute: 30 },
    });
    assert.deepEqual(parseWhen('monday at three', NOW, ZONE), {
      day: { year: 2025, month: 3, day: 10 },
      dayGiven: true,
      time: { hour: 15, minute: 0 },
    });
  });

  test('a day without a time, and a time without a day, say so', () => {
    assert.deepEqual(parseWhen('how about monday', NOW, ZONE), {
      day: { year: 2025, month: 3, day: 10 },
      dayGiven: true,
    });
    assert.equal(parseWhen('at eleven', NOW, ZONE)?.dayGiven, false);
    assert.deepEqual(parseWhen('at eleven', NOW, ZONE)?.time, { hour: 11, minute: 0 });
  });

  test('a part of the day without a time gives its hour apart, so a booking still asks for one', () => {
    assert.deepEqual(parseWhen('call me on monday afternoon', NOW, ZONE), {
      day: { year: 2025, month: 3, day: 10 },
      dayGiven: true,
      partOfDay: { hour: 15, minute: 0 },
    });
    assert.equal(parseWhen('monday afternoon at two', NOW, ZONE)?.partOfDay, undefined);
    assert.equal(parseWhen('call me back tomorrow', NOW, ZONE)?.partOfDay, undefined);
  });

  test('a sentence without a time is none', () => {
    assert.equal(parseWhen('I would like to book an appointment', NOW, ZONE), undefined);
  });
});

describe('times as the agent says them', () => {
  test('an instant is written with the offset the zone has on that day', () => {
    assert.equal(isoInZone(new Date('2025-03-07T15:00:00Z'), ZONE), '2025-03-07T10:00:00-05:00');
    // Daylight saving time starts on March 9, 2025.
    assert.equal(isoInZone(new Date('2025-03-10T14:00:00Z'), ZONE), '2025-03-10T10:00:00-04:00');
    assert.equal(
      isoInZone(new Date('2025-03-10T14:00:00Z'), 'Asia/Kolkata'),
      '2025-03-10T19:30:00+05:30',
    );
  });

  test('times are said the way a speech synthesiser reads well, naming each day once', () => {
    assert.equal(
      spokenTime(new Date('2025-03-10T14:30:00Z'), ZONE),
      'Monday, March 10 at 10:30 AM',
    );
    const monday = ['13:00', '13:30', '14:00'].map((t) => new Date(`2025-03-10T${t}:00Z`));
    assert.equal(spokenTimes(monday, ZONE), 'Monday, March 10 at 9 AM, 9:30 AM or 10 AM');
    const twoDays = [new Date('2025-03-07T21:30:00Z'), new Date('2025-03-10T13:00:00Z')];
    assert.equal(
      spokenTimes(twoDays, ZONE),
      'Friday, March 7 at 4:30 PM or Monday, March 10 at 9 AM',
    );
  });
});
