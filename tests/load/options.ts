import { parseArgs } from 'node:util';

export interface LoadOptions {
  /** How long calls keep starting; calls in progress then finish their current turn. */
  minutes: number;
  /** Calls kept open at once. */
  sessions: number;
  /** Seeds each caller's choices (questions, turn counts, pauses), so a run can be replayed. */
  seed: number;
  /** PostgreSQL (a throwaway cluster, as in production) or the embedded PGlite database. */
  database: 'postgres' | 'pglite';
  /**
   * `cloud`: the Deepgram, OpenAI and Cartesia plugins against the protocol fakes in their canned
   * mode (they cost next to nothing, so the figures are Parley's own); `offline`: PocketSphinx,
   * the scripted responder and Flite.
   */
  engines: 'cloud' | 'offline';
  /** How often memory and CPU are sampled. */
  sampleIntervalMs: number;
}

export class LoadOptionsError extends Error {
  override readonly name = 'LoadOptionsError';
  readonly code = 'invalid_options';
}

export const USAGE =
  'usage: npm run test:load -- [--minutes 10] [--sessions 25] [--seed 1] [--database postgres|pglite] [--engines cloud|offline]';

function positive(name: string, raw: string, integer: boolean): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new LoadOptionsError(
      `--${name} must be a positive ${integer ? 'integer' : 'number'}, got "${raw}"`,
    );
  }
  return value;
}

export function parseLoadOptions(argv: string[]): LoadOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        minutes: { type: 'string', default: '10' },
        sessions: { type: 'string', default: '25' },
        seed: { type: 'string', default: '1' },
        database: { type: 'string', default: 'postgres' },
        engines: { type: 'string', default: 'cloud' },
      },
    }));
  } catch (error) {
    throw new LoadOptionsError((error as Error).message);
  }
  const { database, engines } = values;
  if (database !== 'postgres' && database !== 'pglite') {
    throw new LoadOptionsError(`--database must be postgres or pglite, got "${database}"`);
  }
  if (engines !== 'cloud' && engines !== 'offline') {
    throw new LoadOptionsError(`--engines must be cloud or offline, got "${engines}"`);
  }
  return {
    minutes: positive('minutes', values.minutes, false),
    sessions: positive('sessions', values.sessions, true),
    seed: positive('seed', values.seed, true),
    database,
    engines,
    sampleIntervalMs: 2_000,
  };
}
