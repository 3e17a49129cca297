import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { WorkerRegistry, type WorkerRegistryOptions } from './worker-registry.js';
import { forEachBackend, openFresh, openReplicas } from '../../test/test-backends.js';

function clock(): { now: () => number; advance(ms: number): void } {
  let t = 1_000_000;
  return { now: () => t, advance: (ms) => (t += ms) };
}

forEachBackend((backend) => {
  /** A registry on a database of its own, so no other test's workers or holds count. */
  async function registry(options: Partial<WorkerRegistryOptions>): Promise<WorkerRegistry> {
    return new WorkerRegistry((await openFresh(backend)).db, options);
  }

  describe('WorkerRegistry admission', () => {
    test('admits while no live worker reports its load: capacity is unknown, not exhausted', async () => {
      const c = clock();
      const workers = await registry({ now: c.now });
      assert.deepEqual(await workers.admit(), { admitted: true });
      await workers.heartbeat('AW_old');
      assert.equal(await workers.freeSlots(), undefined);
      assert.deepEqual(await workers.admit(), { admitted: true });
    });

    test('counts free slots over live workers, each admitted session holding one until its hold ends', async () => {
      const c = clock();
      const workers = await registry({ now: c.now, holdMs: 5_000 });
      await workers.heartbeat('AW_a', { activeJobs: 1, maxJobs: 2 });
      await workers.heartbeat('AW_b', { activeJobs: 2, maxJobs: 2 });
      assert.equal(await workers.freeSlots(), 1);
      assert.deepEqual(await workers.admit(), { admitted: true });
      assert.equal(await workers.freeSlots(), 0);
      const refused = await workers.admit();
      assert.equal(refused.admitted, false);
      assert.ok(
        !refused.admitted && refused.retryAfterSeconds >= 1 && refused.retryAfterSeconds <= 5,
      );
      // The hold ends; the worker has not taken the call (the visitor never joined): free again.
      c.advance(5_001);
      assert.equal(await workers.freeSlots(), 1);
      assert.deepEqual(await workers.admit(), { admitted: true });
      assert.equal(await workers.freeSlots(), 0);
      // The worker reports the call: the hold ends and the worker's count stands for it, once.
      await workers.heartbeat('AW_a', { activeJobs: 2, maxJobs: 2 });
      assert.equal(await workers.freeSlots(), 0);
      assert.equal((await workers.admit()).admitted, false);
      await workers.heartbeat('AW_a', { activeJobs: 1, maxJobs: 2 });
      assert.equal(
        await workers.freeSlots(),
        1,
        'the ended call frees its slot at once, not after a hold',
      );
    });

    test('a worker that stops beating stops counting, and a full worker that frees a call admits again', async () => {
      const c = clock();
      const workers = await registry({ now: c.now, staleAfterMs: 15_000 });
      await workers.heartbeat('AW_a', { activeJobs: 0, maxJobs: 3 });
      c.advance(10_000);
      await workers.heartbeat('AW_b', { activeJobs: 1, maxJobs: 1 });
      assert.equal(await workers.freeSlots(), 3);
      c.advance(6_000);
      assert.deepEqual(await workers.liveWorkers(), ['AW_b']);
      assert.equal(await workers.freeSlots(), 0);
      assert.equal((await workers.admit()).admitted, false);
      await workers.heartbeat('AW_b', { activeJobs: 0, maxJobs: 1 });
      assert.deepEqual(await workers.admit(), { admitted: true });
    });

    test('when a worker takes a call, then the oldest hold ends and Retry-After is when the next one does', async () => {
      const c = clock();
      const workers = await registry({ now: c.now, holdMs: 10_000 });
      await workers.heartbeat('AW_a', { activeJobs: 0, maxJobs: 2 });
      assert.deepEqual(await workers.admit(), { admitted: true });
      c.advance(3_000);
      assert.deepEqual(await workers.admit(), { admitted: true });
      // Nothing frees within 5 s: the longest wait a refused session is told.
      assert.deepEqual(await workers.admit(), { admitted: false, retryAfterSeconds: 5 });
      await workers.heartbeat('AW_a', { activeJobs: 1, maxJobs: 2 });
      assert.equal(await workers.freeSlots(), 0);
      c.advance(6_000);
      // Had the newer hold ended, the older would free in 1 s; the newer frees in 4 s.
      assert.deepEqual(await workers.admit(), { admitted: false, retryAfterSeconds: 4 });
      c.advance(3_500);
      assert.deepEqual(await workers.admit(), { admitted: false, retryAfterSeconds: 1 });
      c.advance(500);
      assert.equal(await workers.freeSlots(), 1);
    });

    test('when every worker is full and no session holds a slot, then Retry-After is 5 s', async () => {
      const workers = await registry({ now: clock().now });
      await workers.heartbeat('AW_a', { activeJobs: 4, maxJobs: 4 });
      assert.deepEqual(await workers.admit(), { admitted: false, retryAfterSeconds: 5 });
    });
  });

  describe('WorkerRegistry on two server replicas', () => {
    test('when workers beat to different replicas, then each replica counts them all and the slots one takes', async () => {
      const c = clock();
      const [one, two] = await openReplicas(backend);
      const first = new WorkerRegistry(one.db, { now: c.now });
      const second = new WorkerRegistry(two.db, { now: c.now });
      await first.heartbeat('AW_a', { activeJobs: 0, maxJobs: 2 });
      await second.heartbeat('AW_b', { activeJobs: 1, maxJobs: 2 });
      assert.deepEqual(await first.liveWorkers(), ['AW_a', 'AW_b']);
      assert.deepEqual(await second.liveWorkers(), ['AW_a', 'AW_b']);
      assert.equal(await second.freeSlots(), 3);
      assert.deepEqual(await first.admit(), { admitted: true });
      assert.equal(await second.freeSlots(), 2, "the first replica's session holds a slot");
      // The worker reports that session's call to the other replica: the hold ends everywhere.
      await second.heartbeat('AW_a', { activeJobs: 1, maxJobs: 2 });
      assert.equal(await first.freeSlots(), 2);
    });

    test('when many sessions are admitted at once on both replicas, then no more are admitted than there are free slots', async () => {
      const c = clock();
      const [one, two] = await openReplicas(backend);
      const first = new WorkerRegistry(one.db, { now: c.now });
      const second = new WorkerRegistry(two.db, { now: c.now });
      await first.heartbeat('AW_a', { activeJobs: 1, maxJobs: 4 });
      await second.heartbeat('AW_b', { activeJobs: 2, maxJobs: 4 });
      // On PostgreSQL each replica's pool runs ten of them at a time.
      const answers = await Promise.all(
        Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? first : second).admit()),
      );
      assert.equal(answers.filter((a) => a.admitted).length, 5);
      assert.equal(await first.freeSlots(), 0);
      assert.equal(await second.freeSlots(), 0);
      const [held] = await one.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM admission_holds',
      );
      assert.equal(held?.n, 5, 'one hold per admitted session');
    });
  });
});
