/**
 * livekit-server dispatches a job only to workers whose reported load is below its target load
 * (`agent.DefaultTargetLoad`, 0.7): it ranks workers by `0.7 - load` and skips those at zero.
 */
export const LIVEKIT_TARGET_LOAD = 0.7;

/** What the load function reads from LiveKit Agents' `AgentServer`. */
export interface WorkerWithJobs {
  readonly activeJobs: readonly unknown[];
}

/**
 * A load function that counts calls instead of measuring CPU. The framework's default reports
 * the whole machine's CPU use, so on a small shared host (livekit-server, the Parley server and a
 * browser on two cores) a busy moment made LiveKit skip the worker and the call got no agent at
 * all. Counting calls keeps dispatch predictable: the worker is full at `maxJobs` calls, which
 * is where the reported load reaches LiveKit's target load.
 */
export function jobCountLoad(maxJobs: number): (worker: WorkerWithJobs) => Promise<number> {
  if (!Number.isInteger(maxJobs) || maxJobs < 1) {
    throw new RangeError('maxJobs must be a positive integer');
  }
  return async (worker) => Math.min(1, (LIVEKIT_TARGET_LOAD * worker.activeJobs.length) / maxJobs);
}
