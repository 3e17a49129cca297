/** What a worker last said about its calls (`activeJobs` of `maxJobs`). */
export interface WorkerLoad {
  activeJobs: number;
  maxJobs: number;
}

/** Whether a new call can be served now, and if not, when to ask again. */
export type Admission = { admitted: true } | { admitted: false; retryAfterSeconds: number };

interface Seen {
  at: number;
  load?: WorkerLoad;
}

export interface WorkerRegistryOptions {
  /** How long one heartbeat counts. */
  staleAfterMs?: number;
  /**
   * How long an admitted session holds a call slot if no worker reports a new call for it (the
   * visitor never joined). Normally the hold ends sooner: the visitor joins, LiveKit dispatches
   * the job, and the worker reports one more call within a load poll (2.5 s).
   */
  holdMs?: number;
  now?: () => number;
}

/**
 * Agent workers that said they are registered with LiveKit, by their last heartbeat, with the
 * calls each runs and takes at most. The session routes ask it before they hand out a room, so
 * that when every worker is full a visitor is told so at once (`at_capacity`) instead of waiting
 * in a room no agent will enter.
 */
export class WorkerRegistry {
  private readonly seen = new Map<string, Seen>();
  /** When each session admitted within `holdMs` was issued. */
  private admitted: number[] = [];
  private readonly staleAfterMs: number;
  private readonly holdMs: number;
  private readonly now: () => number;

  constructor(options: WorkerRegistryOptions = {}) {
    this.staleAfterMs = options.staleAfterMs ?? 15_000;
    this.holdMs = options.holdMs ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  heartbeat(workerId: string, load?: WorkerLoad): void {
    const before = this.seen.get(workerId)?.load;
    this.seen.set(workerId, { at: this.now(), load });
    // Calls a worker took since its last beat are (most likely) admitted sessions arriving: their
    // holds end, oldest first, and the worker's own count stands for them.
    const started = before && load ? load.activeJobs - before.activeJobs : 0;
    if (started > 0) this.admitted.splice(0, started);
  }

  /** Workers heard from within the staleness window. */
  liveWorkers(): string[] {
    return [...this.live().keys()];
  }

  /** Free call slots over the live workers that report their load; undefined if none does. */
  freeSlots(): number | undefined {
    return this.freeBeside(this.held());
  }

  /**
   * Takes a call slot for a new session if one is free. Admits when no live worker reports its
   * load (an older worker, or none registered yet): capacity is then unknown, not exhausted.
   */
  admit(): Admission {
    // Expired holds are dropped on every call, so they cannot pile up while no worker reports.
    const held = this.held();
    const free = this.freeBeside(held);
    if (free === undefined || free > 0) {
      this.admitted.push(this.now());
      return { admitted: true };
    }
    // A held slot frees when its hold ends; a running call, at the soonest when a worker beats.
    const [oldest] = held;
    const untilHeldFree = oldest === undefined ? Infinity : oldest + this.holdMs - this.now();
    const seconds = Math.ceil(Math.min(untilHeldFree, 5_000) / 1000);
    return { admitted: false, retryAfterSeconds: Math.max(1, seconds) };
  }

  /** The workers' free slots less the sessions still holding one. */
  private freeBeside(held: readonly number[]): number | undefined {
    const loads = [...this.live().values()].flatMap((s) => (s.load ? [s.load] : []));
    if (loads.length === 0) return undefined;
    const free = loads.reduce((n, l) => n + Math.max(0, l.maxJobs - l.activeJobs), 0);
    return Math.max(0, free - held.length);
  }

  /** The admitted sessions still holding a slot, after dropping those whose hold has ended. */
  private held(): number[] {
    const cutoff = this.now() - this.holdMs;
    this.admitted = this.admitted.filter((at) => at > cutoff);
    return this.admitted;
  }

  private live(): Map<string, Seen> {
    const cutoff = this.now() - this.staleAfterMs;
    for (const [id, seen] of this.seen) if (seen.at < cutoff) this.seen.delete(id);
    return this.seen;
  }
}
