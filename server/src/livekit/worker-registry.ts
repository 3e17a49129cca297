import type { Database, Queryable } from '../storage/database.js';

/** What a worker last said about its calls (`activeJobs` of `maxJobs`). */
export interface WorkerLoad {
  activeJobs: number;
  maxJobs: number;
}

/** Whether a new call can be served now, and if not, when to ask again. */
export type Admission = { admitted: true } | { admitted: false; retryAfterSeconds: number };

export interface WorkerRegistryOptions {
  /** How long one heartbeat counts. */
  staleAfterMs: number;
  /**
   * How long an admitted session holds a call slot if no worker reports a new call for it (the
   * visitor never joined). Normally the hold ends sooner: the visitor joins, LiveKit dispatches
   * the job, and the worker reports one more call within a load poll (2.5 s).
   */
  holdMs: number;
  /** The clock every heartbeat and hold is stamped with (not the database's: tests move it). */
  now: () => number;
}

const DEFAULTS: WorkerRegistryOptions = {
  staleAfterMs: 15_000,
  holdMs: 10_000,
  now: Date.now,
};

/** The longest Retry-After a refused session is told: a running call may end at any beat. */
const MAX_RETRY_AFTER_MS = 5_000;

/** The live workers' capacity and the holds on it, read in one statement. */
interface CapacityRow {
  /** Live workers that report their load. */
  reporting: number;
  /** Their free slots, before holds. */
  free: number;
  held: number;
  oldest_hold: Date | null;
}

interface Capacity {
  /** Free slots less held ones; undefined if no live worker reports its load. */
  free: number | undefined;
  /** When the oldest hold still counting was taken. */
  oldestHold: number | undefined;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Agent workers that said they are registered with LiveKit, by their last heartbeat, with the
 * calls each runs and takes at most. The session routes ask it before they hand out a room, so
 * that when every worker is full a visitor is told so at once (`at_capacity`) instead of waiting
 * in a room no agent will enter.
 *
 * It keeps nothing in memory: every server replica reads and writes the same rows, so a worker
 * beating to one replica counts for all of them, and a slot one replica hands out is taken for
 * all. Changes happen one at a time across replicas (a table lock): two replicas never both take
 * the last slot.
 */
export class WorkerRegistry {
  private readonly options: WorkerRegistryOptions;

  constructor(
    private readonly db: Database,
    options: Partial<WorkerRegistryOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
    const { staleAfterMs, holdMs } = this.options;
    if (!(staleAfterMs > 0 && holdMs > 0)) {
      throw new RangeError('WorkerRegistry: staleAfterMs and holdMs must be positive');
    }
  }

  async heartbeat(workerId: string, load?: WorkerLoad): Promise<void> {
    const now = this.options.now();
    await this.db.transaction(async (tx) => {
      await lockRegistry(tx);
      // A beat older than the staleness window is forgotten: the worker starts afresh.
      const [before] = await tx.query<{ active_jobs: number | null }>(
        `SELECT active_jobs FROM agent_workers WHERE worker_id = $1 AND seen_at >= $2::timestamptz`,
        [workerId, iso(this.staleCutoff(now))],
      );
      await tx.query(
        `INSERT INTO agent_workers (worker_id, seen_at, active_jobs, max_jobs)
         VALUES ($1, $2::timestamptz, $3, $4)
         ON CONFLICT (worker_id) DO UPDATE SET seen_at = excluded.seen_at,
           active_jobs = excluded.active_jobs, max_jobs = excluded.max_jobs`,
        [workerId, iso(now), load?.activeJobs ?? null, load?.maxJobs ?? null],
      );
      // Calls a worker took since its last beat are (most likely) admitted sessions arriving: their
      // holds end, oldest first, and the worker's own count stands for them.
      const previous = before?.active_jobs ?? undefined;
      const started = previous !== undefined && load ? load.activeJobs - previous : 0;
      if (started > 0) {
        await tx.query(
          `DELETE FROM admission_holds WHERE id IN (
             SELECT id FROM admission_holds WHERE admitted_at > $1::timestamptz
             ORDER BY admitted_at, id LIMIT $2)`,
          [iso(this.holdCutoff(now)), started],
        );
      }
      // Workers that stopped beating (restarted ones beat under a new id) leave no rows behind.
      await tx.query('DELETE FROM agent_workers WHERE seen_at < $1::timestamptz', [
        iso(this.staleCutoff(now)),
      ]);
    });
  }

  /** Workers heard from within the staleness window. */
  async liveWorkers(): Promise<string[]> {
    const rows = await this.db.query<{ worker_id: string }>(
      'SELECT worker_id FROM agent_workers WHERE seen_at >= $1::timestamptz ORDER BY worker_id',
      [iso(this.staleCutoff(this.options.now()))],
    );
    return rows.map((r) => r.worker_id);
  }

  /** Free call slots over the live workers that report their load; undefined if none does. */
  async freeSlots(): Promise<number | undefined> {
    return (await this.capacity(this.db, this.options.now())).free;
  }

  /**
   * Takes a call slot for a new session if one is free. Admits when no live worker reports its
   * load (an older worker, or none registered yet): capacity is then unknown, not exhausted.
   * `within`, the database as seen inside a transaction of the caller's, makes the slot part of
   * it: taken only if that transaction commits, and the registry's lock held until it ends.
   */
  async admit(within: Database = this.db): Promise<Admission> {
    const now = this.options.now();
    return within.transaction(async (tx) => {
      await lockRegistry(tx);
      // Expired holds are dropped on every call, so they cannot pile up while no worker reports.
      await tx.query('DELETE FROM admission_holds WHERE admitted_at <= $1::timestamptz', [
        iso(this.holdCutoff(now)),
      ]);
      const { free, oldestHold } = await this.capacity(tx, now);
      if (free === undefined || free > 0) {
        await tx.query('INSERT INTO admission_holds (admitted_at) VALUES ($1::timestamptz)', [
          iso(now),
        ]);
        return { admitted: true };
      }
      // A held slot frees when its hold ends; a running call, at the soonest when a worker beats.
      const untilHeldFree =
        oldestHold === undefined ? Infinity : oldestHold + this.options.holdMs - now;
      const seconds = Math.ceil(Math.min(untilHeldFree, MAX_RETRY_AFTER_MS) / 1000);
      return { admitted: false, retryAfterSeconds: Math.max(1, seconds) };
    });
  }

  /** The live workers' free slots less the sessions still holding one, as of `now`. */
  private async capacity(db: Queryable, now: number): Promise<Capacity> {
    const [row] = await db.query<CapacityRow>(
      `WITH loads AS (
         SELECT active_jobs, max_jobs FROM agent_workers
         WHERE seen_at >= $1::timestamptz AND max_jobs IS NOT NULL),
       holds AS (SELECT admitted_at FROM admission_holds WHERE admitted_at > $2::timestamptz)
       SELECT (SELECT count(*)::int FROM loads) AS reporting,
         (SELECT coalesce(sum(greatest(0, max_jobs - active_jobs)), 0)::int FROM loads) AS free,
         (SELECT count(*)::int FROM holds) AS held,
         (SELECT min(admitted_at) FROM holds) AS oldest_hold`,
      [iso(this.staleCutoff(now)), iso(this.holdCutoff(now))],
    );
    if (!row) throw new Error('WorkerRegistry: the capacity query answered no row');
    return {
      free: row.reporting === 0 ? undefined : Math.max(0, row.free - row.held),
      oldestHold: row.oldest_hold === null ? undefined : new Date(row.oldest_hold).getTime(),
    };
  }

  /** Heartbeats before this no longer count. */
  private staleCutoff(now: number): number {
    return now - this.options.staleAfterMs;
  }

  /** Holds taken at or before this have ended. */
  private holdCutoff(now: number): number {
    return now - this.options.holdMs;
  }
}

/**
 * Heartbeats and admissions change the registry one at a time, whichever replica serves them:
 * this mode conflicts with itself and with every write, not with plain reads. Held until the
 * transaction ends; both tables in one fixed order, so two writers cannot deadlock.
 */
async function lockRegistry(tx: Queryable): Promise<void> {
  await tx.query('LOCK TABLE agent_workers, admission_holds IN SHARE ROW EXCLUSIVE MODE');
}
