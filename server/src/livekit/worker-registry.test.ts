import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { WorkerRegistry } from './worker-registry.js';

function clock(): { now: () => number; advance(ms: number): void } {
  let t = 1_000_000;
  return { now: () => t, advance: (ms) => (t += ms) };
}

describe('WorkerRegistry admission', () => {
  test('admits while no live worker reports its load: capacity is unknown, not exhausted', () => {
    const c = clock();
    const workers = new WorkerRegistry({ now: c.now });
    assert.deepEqual(workers.admit(), { admitted: true });
    workers.heartbeat('AW_old');
    assert.equal(workers.freeSlots(), undefined);
    assert.deepEqual(workers.admit(), { admitted: true });
  });

  test('counts free slots over live workers, each admitted session holding one until its hold ends', () => {
    const c = clock();
    const workers = new WorkerRegistry({ now: c.now, holdMs: 5_000 });
    workers.heartbeat('AW_a', { activeJobs: 1, maxJobs: 2 });
    workers.heartbeat('AW_b', { activeJobs: 2, maxJobs: 2 });
    assert.equal(workers.freeSlots(), 1);
    assert.deepEqual(workers.admit(), { admitted: true });
    assert.equal(workers.freeSlots(), 0);
    const refused = workers.admit();
    assert.equal(refused.admitted, false);
    assert.ok(
      !refused.admitted && refused.retryAfterSeconds >= 1 && refused.retryAfterSeconds <= 5,
    );
    // The hold ends; the worker has not taken the call (the visitor never joined): free again.
    c.advance(5_001);
    assert.equal(workers.freeSlots(), 1);
    assert.deepEqual(workers.admit(), { admitted: true });
    assert.equal(workers.freeSlots(), 0);
    // The worker reports the call: the hold ends and the worker's count stands for it, once.
    workers.heartbeat('AW_a', { activeJobs: 2, maxJobs: 2 });
    assert.equal(workers.freeSlots(), 0);
    assert.equal(workers.admit().admitted, false);
    workers.heartbeat('AW_a', { activeJobs: 1, maxJobs: 2 });
    assert.equal(workers.freeSlots(), 1, 'the ended call frees its slot at once, not after a hold');
  });

  test('a worker that stops beating stops counting, and a full worker that frees a call admits again', () => {
    const c = clock();
    const workers = new WorkerRegistry({ now: c.now, staleAfterMs: 15_000 });
    workers.heartbeat('AW_a', { activeJobs: 0, maxJobs: 3 });
    c.advance(10_000);
    workers.heartbeat('AW_b', { activeJobs: 1, maxJobs: 1 });
    assert.equal(workers.freeSlots(), 3);
    c.advance(6_000);
    assert.deepEqual(workers.liveWorkers(), ['AW_b']);
    assert.equal(workers.freeSlots(), 0);
    assert.equal(workers.admit().admitted, false);
    workers.heartbeat('AW_b', { activeJobs: 0, maxJobs: 1 });
    assert.deepEqual(workers.admit(), { admitted: true });
  });
});
