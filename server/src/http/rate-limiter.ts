import type { Response } from 'express';
import type { Queryable } from '../storage/database.js';
import { ApiError } from './api-error.js';

export interface RateLimiterOptions {
  /**
   * Names the limiter's counters in the database: limiters of one name count together, on
   * whichever server replica they run. Limiters that should count apart need names of their own.
   */
  name: string;
  /** Hits allowed per key within one window. */
  limit: number;
  windowMs: number;
  /** The clock windows are stamped with (not the database's: tests move it). */
  now?: () => number;
}

/** Whether a hit is allowed, and if not, when its key may be hit again. */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** A key's window as the database holds it. */
interface WindowRow {
  hits: number;
  window_start: Date;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * A fixed-window counter per key: at most `limit` hits per `windowMs`. The counters are in the
 * database (`rate_limit_windows`), so every server replica counts against the same limit; each
 * hit is one statement, atomic whichever replicas hit the key at once.
 */
export class RateLimiter {
  private readonly name: string;
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly now: () => number;
  /** When this limiter last deleted the windows that have passed (any replica's). */
  private sweptAt: number | undefined;

  constructor(
    private readonly db: Queryable,
    options: RateLimiterOptions,
  ) {
    this.name = options.name;
    this.limit = options.limit;
    this.windowMs = options.windowMs;
    this.now = options.now ?? Date.now;
    if (!this.name) throw new RangeError('RateLimiter: name must not be empty');
    if (!(Number.isInteger(this.limit) && this.limit >= 0)) {
      throw new RangeError(`RateLimiter ${this.name}: limit must be a whole number >= 0`);
    }
    if (!(Number.isFinite(this.windowMs) && this.windowMs > 0)) {
      throw new RangeError(`RateLimiter ${this.name}: windowMs must be positive`);
    }
  }

  /** Records a hit; returns false when the key is over its limit. */
  async hit(key: string): Promise<boolean> {
    return (await this.take(key)).allowed;
  }

  /** Records a hit; over the limit, answers the whole seconds left in the key's window. */
  async take(key: string): Promise<RateDecision> {
    const now = this.now();
    await this.sweep(now);
    // The first hit after a window has passed starts the next one; the hits of one window are
    // counted by the row's lock, so two replicas hitting a key at once both count.
    const [row] = await this.db.query<WindowRow>(
      `INSERT INTO rate_limit_windows AS w (limiter, key, window_start, hits)
       VALUES ($1, $2, $3::timestamptz, 1)
       ON CONFLICT (limiter, key) DO UPDATE SET
         window_start = CASE WHEN w.window_start <= $4::timestamptz
           THEN excluded.window_start ELSE w.window_start END,
         hits = CASE WHEN w.window_start <= $4::timestamptz THEN 1 ELSE w.hits + 1 END
       RETURNING hits, window_start`,
      [this.name, key, iso(now), iso(now - this.windowMs)],
    );
    if (!row) throw new Error(`RateLimiter ${this.name}: the hit answered no row`);
    if (row.hits <= this.limit) return { allowed: true };
    return { allowed: false, retryAfterSeconds: this.secondsLeft(row, now) };
  }

  /** Whole seconds until a key over its limit may be hit again; 0 when it is not over it. */
  async retryAfterSeconds(key: string): Promise<number> {
    const [row] = await this.db.query<WindowRow>(
      'SELECT hits, window_start FROM rate_limit_windows WHERE limiter = $1 AND key = $2',
      [this.name, key],
    );
    if (!row || row.hits <= this.limit) return 0;
    return this.secondsLeft(row, this.now());
  }

  private secondsLeft(row: WindowRow, now: number): number {
    const end = new Date(row.window_start).getTime() + this.windowMs;
    return Math.max(1, Math.ceil((end - now) / 1000));
  }

  /** Windows that have passed count for nothing; deleting them once a window is enough. */
  private async sweep(now: number): Promise<void> {
    if (this.sweptAt !== undefined && now - this.sweptAt < this.windowMs) return;
    this.sweptAt = now;
    await this.db.query(
      'DELETE FROM rate_limit_windows WHERE limiter = $1 AND window_start <= $2::timestamptz',
      [this.name, iso(now - this.windowMs)],
    );
  }
}

/**
 * Counts a request against `limiter`; over the limit, 429 `rate_limited` with the seconds to
 * wait (Retry-After).
 */
export async function enforceLimit(
  res: Response,
  limiter: RateLimiter,
  key: string,
  message: string,
): Promise<void> {
  const decision = await limiter.take(key);
  if (decision.allowed) return;
  res.set('Retry-After', String(decision.retryAfterSeconds));
  throw new ApiError('rate_limited', message);
}
