import { z } from 'zod';
import { ConfigError } from '../config.js';
import { REPO_ROOT } from '../package-dir.js';

/** Where call records wait while the server cannot be reached (see agent/README.md). */
export interface RecordingConfig {
  /** `PARLEY_SPOOL_DIR`: the call-record journals; default `<repo>/.parley/spool`. */
  spoolDir: string;
  /** `PARLEY_SPOOL_FLUSH_INTERVAL_MS`: how often the worker replays left-over journals. */
  flushIntervalMs: number;
}

type Env = Record<string, string | undefined>;

const IntervalSchema = z.coerce.number().int().min(100).max(3_600_000);

/** Reads the recording settings from env; throws a {@link ConfigError} naming a bad key. */
export function recordingConfig(env: Env = process.env): RecordingConfig {
  const spoolDir = env.PARLEY_SPOOL_DIR?.trim() || `${REPO_ROOT}/.parley/spool`;
  const rawInterval = env.PARLEY_SPOOL_FLUSH_INTERVAL_MS?.trim() || '30000';
  const interval = IntervalSchema.safeParse(rawInterval);
  if (!interval.success) {
    throw new ConfigError(
      'PARLEY_SPOOL_FLUSH_INTERVAL_MS',
      `${interval.error.issues[0]?.message ?? 'is invalid'} (got ${JSON.stringify(rawInterval)})`,
    );
  }
  return { spoolDir, flushIntervalMs: interval.data };
}
