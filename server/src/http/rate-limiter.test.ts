import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { RateLimiter } from './rate-limiter.js';
import type { Storage } from '../storage/storage.js';
import { forEachBackend, openFresh, openReplicas } from '../../test/test-backends.js';

function clock(start = 0): { now: () => number; set(ms: number): void } {
  let t = start;
  return { now: () => t, set: (ms) => (t = ms) };
}

forEachBackend((backend) => {
  describe('RateLimiter', () => {
    let storage: Storage;
    before(async () => {
      storage = await openFresh(backend);
    });
    const limiter = (name: string, limit: number, windowMs: number, now: () => number) =>
      new RateLimiter(storage.db, { name, limit, windowMs, now });
    const rows = async (name: string) =>
      (
        await storage.db.query<{ key: string }>(
          'SELECT key FROM rate_limit_windows WHERE limiter = $1 ORDER BY key',
          [name],
        )
      ).map((r) => r.key);

    test('a key over its limit is refused until the window passes, other keys are unaffected', async () => {
      const c = clock();
      const window = limiter('window', 2, 1000, c.now);
      assert.deepEqual(
        [await window.hit('a'), await window.hit('a'), await window.hit('a')],
        [true, true, false],
      );
      assert.equal(await window.hit('b'), true);
      c.set(999);
      assert.equal(await window.hit('a'), false);
      c.set(1000);
      assert.equal(await window.hit('a'), true);
      assert.deepEqual(await rows('window'), ['a'], "the passed window of 'b' is deleted");
    });

    test('a key over its limit is told how many whole seconds are left in its window', async () => {
      const c = clock();
      const retry = limiter('retry', 1, 60_000, c.now);
      await retry.hit('a');
      assert.equal(await retry.retryAfterSeconds('a'), 0, 'not over the limit yet');
      c.set(10_500);
      assert.deepEqual(await retry.take('a'), { allowed: false, retryAfterSeconds: 50 });
      assert.equal(await retry.retryAfterSeconds('a'), 50);
      c.set(59_999);
      assert.equal(await retry.retryAfterSeconds('a'), 1);
      assert.equal(await retry.retryAfterSeconds('b'), 0);
    });

    test('limiters of different names count apart', async () => {
      const c = clock();
      const first = limiter('first', 1, 1000, c.now);
      const second = limiter('second', 1, 1000, c.now);
      assert.equal(await first.hit('a'), true);
      assert.equal(await second.hit('a'), true);
      assert.equal(await first.hit('a'), false);
    });
  });

  describe('RateLimiter on two server replicas', () => {
    test('when a key is hit through both replicas, then the hits count against one limit', async () => {
      const c = clock(1_000_000);
      const [one, two] = await openReplicas(backend);
      const options = { name: 'shared', limit: 3, windowMs: 60_000, now: c.now };
      const first = new RateLimiter(one.db, options);
      const second = new RateLimiter(two.db, options);
      assert.equal(await first.hit('203.0.113.7'), true);
      assert.equal(await second.hit('203.0.113.7'), true);
      assert.equal(await first.hit('203.0.113.7'), true);
      c.set(1_030_000);
      assert.deepEqual(await second.take('203.0.113.7'), {
        allowed: false,
        retryAfterSeconds: 30,
      });
      assert.equal(await first.retryAfterSeconds('203.0.113.7'), 30);
      // Many at once, half through each replica (on PostgreSQL, each pool runs ten at a time).
      const answers = await Promise.all(
        Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? first : second).hit('198.51.100.9')),
      );
      assert.equal(answers.filter(Boolean).length, 3);
      // The window passes for both.
      c.set(1_060_000);
      assert.equal(await second.hit('203.0.113.7'), true);
    });
  });
});
