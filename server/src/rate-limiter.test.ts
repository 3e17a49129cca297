import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RateLimiter } from './rate-limiter.js';

test('a key over its limit is refused until the window passes, other keys are unaffected', () => {
  let now = 0;
  const limiter = new RateLimiter(2, 1000, () => now);
  assert.deepEqual([limiter.hit('a'), limiter.hit('a'), limiter.hit('a')], [true, true, false]);
  assert.equal(limiter.hit('b'), true);
  now = 999;
  assert.equal(limiter.hit('a'), false);
  now = 1000;
  assert.equal(limiter.hit('a'), true);
});
