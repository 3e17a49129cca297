import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { jobCountLoad, LIVEKIT_TARGET_LOAD } from './worker-load.js';

const withJobs = (n: number) => ({ activeJobs: Array.from({ length: n }) });

describe('jobCountLoad', () => {
  test('an idle worker reports no load, whatever the CPU is doing', async () => {
    assert.equal(await jobCountLoad(4)(withJobs(0)), 0);
  });

  test('the load stays below the target load until the worker runs its maximum of calls', async () => {
    const load = jobCountLoad(4);
    for (const jobs of [1, 2, 3]) assert.ok((await load(withJobs(jobs))) < LIVEKIT_TARGET_LOAD);
    assert.equal(await load(withJobs(4)), LIVEKIT_TARGET_LOAD);
    assert.equal(await load(withJobs(40)), 1);
  });

  test('a maximum below one call is refused', () => {
    assert.throws(() => jobCountLoad(0), RangeError);
  });
});
