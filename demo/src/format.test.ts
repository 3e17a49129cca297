import assert from 'node:assert/strict';
import { test } from 'node:test';
import { localDateTimeIso, localDateTimeValue } from './format.js';

test('a datetime-local value is read as local time and sent as an ISO instant', () => {
  assert.equal(localDateTimeIso('2031-01-02T10:30'), new Date(2031, 0, 2, 10, 30).toISOString());
  assert.equal(
    localDateTimeIso('2031-07-14T23:05:09'),
    new Date(2031, 6, 14, 23, 5, 9).toISOString(),
  );
});

test('text that is no datetime-local value gives no instant', () => {
  for (const value of ['', '2031-01-02', '10:30', 'tomorrow', '2031-01-02 10:30']) {
    assert.equal(localDateTimeIso(value), undefined, value);
  }
});

test('a time shown in the input is the minute it names, and reads back to it', () => {
  const date = new Date(2031, 2, 9, 8, 7, 45);
  assert.equal(localDateTimeValue(date), '2031-03-09T08:07');
  assert.equal(
    localDateTimeIso(localDateTimeValue(date)),
    new Date(2031, 2, 9, 8, 7).toISOString(),
  );
});
