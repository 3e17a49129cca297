import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ms, seededRandom } from './stats.js';

describe('seededRandom', () => {
  test('the same seed replays the same numbers in [0, 1); another seed does not', () => {
    const take = (seed: number) => Array.from({ length: 5 }, seededRandom(seed));
    assert.deepEqual(take(7), take(7));
    assert.notDeepEqual(take(7), take(8));
    for (const n of take(7)) assert.ok(n >= 0 && n < 1, String(n));
  });
});

describe('ms', () => {
  test('rounds to whole milliseconds; a missing or empty figure prints as -', () => {
    assert.equal(ms(1234.5), '1235 ms');
    assert.equal(ms(undefined), '-');
    assert.equal(ms(Number.NaN), '-');
  });
});
