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

test('a key over its limit is told how many whole seconds are left in its window', () => {
  let now = 0;
  const limiter = new RateLimiter(1, 60_000, () => now);
  limiter.hit('a');
  assert.equal(limiter.retryAfterSeconds('a'), 0, 'not over the limit yet');
  now = 10_500;
  limiter.hit('a');
  assert.equal(limiter.retryAfterSeconds('a'), 50);
  now = 59_999;
  assert.equal(limiter.retryAfterSeconds('a'), 1);
  assert.equal(limiter.retryAfterSeconds('b'), 0);
});
