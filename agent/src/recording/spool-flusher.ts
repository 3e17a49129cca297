import { ServerApiError } from '../server-api/server-api-error.js';
import { CallApi } from './call-api.js';
import { recorderLogger, type RecorderLogger } from './recorder-logger.js';
import { recordingConfig } from './recording-config.js';
import { listJournals, removeOrphanLocks, SpoolJournal } from './spool-journal.js';

export interface FlushSpoolOptions {
  serverUrl: string;
  agentKey: string;
  /** `PARLEY_SPOOL_DIR` unless given. */
  spoolDir: string;
  requestTimeoutMs: number;
  fetch: typeof fetch;
  logger?: RecorderLogger;
}

export interface FlushReport {
  /** Journals replayed to the end and removed. */
  completed: number;
  /** Journals skipped because their recorder is still running. */
  busy: number;
  /** Journals left for a later flush because the server could not be reached. */
  deferred: number;
  /** Ops the server took. */
  sent: number;
  /** Ops the server refused for good (logged, not retried). */
  dropped: number;
}

type Options = Pick<FlushSpoolOptions, 'serverUrl' | 'agentKey'> & Partial<FlushSpoolOptions>;

function withDefaults(opts: Options): FlushSpoolOptions {
  return {
    requestTimeoutMs: 5_000,
    fetch: globalThis.fetch,
    ...opts,
    spoolDir: opts.spoolDir ?? recordingConfig().spoolDir,
  };
}

/**
 * Replays the journals that recorders left unfinished — a killed agent's, or one whose call
 * ended while the server was unreachable — oldest first, each op in order, and removes each
 * journal once everything in it is answered. Journals of recorders still running are left
 * alone. Stops at the first op the server cannot be reached for; the next flush resumes there.
 */
export async function flushSpool(options: Options): Promise<FlushReport> {
  const opts = withDefaults(options);
  const logger = recorderLogger(opts.logger, 'spool-flusher');
  const api = new CallApi({
    serverUrl: opts.serverUrl,
    agentKey: opts.agentKey,
    timeoutMs: opts.requestTimeoutMs,
    fetch: opts.fetch,
  });
  const report: FlushReport = { completed: 0, busy: 0, deferred: 0, sent: 0, dropped: 0 };
  await removeOrphanLocks(opts.spoolDir);
  const files = await listJournals(opts.spoolDir);
  for (const [index, file] of files.entries()) {
    const journal = await SpoolJournal.claim(file);
    if (!journal) {
      report.busy++;
      continue;
    }
    let reachable = true;
    try {
      const state = await journal.read();
      if (state.unreadable > 0) {
        logger.warn({ journal: file, lines: state.unreadable }, 'skipped unreadable journal lines');
      }
      let callId = state.callId;
      for (const { n, op } of state.ops) {
        if (state.acked.has(n)) continue;
        try {
          const answered = await api.send(op, callId);
          if (op.type === 'create') callId = answered;
          await journal.ack(n, op.type === 'create' ? { callId } : {});
          report.sent++;
        } catch (error) {
          if (!(error instanceof ServerApiError)) throw error;
          if (error.retryable) {
            reachable = false;
            break;
          }
          logger.error({ journal: file, op: op.type, n, err: error.message }, 'spooled op refused');
          await journal.ack(n, { dropped: error.code });
          report.dropped++;
        }
      }
    } catch (error) {
      await journal.release();
      throw error;
    }
    if (reachable) {
      await journal.remove();
      report.completed++;
    } else {
      await journal.release();
      report.deferred += files.length - index;
      logger.warn({ journal: file }, 'server unreachable; spooled call records wait');
      break;
    }
  }
  if (report.sent + report.dropped > 0 || report.deferred > 0) {
    logger.info({ ...report }, 'spool flushed');
  }
  return report;
}

export interface SpoolFlusher {
  /** Runs a flush now (or joins the one running). */
  flush(): Promise<FlushReport | undefined>;
  stop(): Promise<void>;
}

/**
 * Flushes the spool now and then every `intervalMs` (`PARLEY_SPOOL_FLUSH_INTERVAL_MS`), one
 * flush at a time. For the worker's main process; failures are logged, never thrown.
 */
export function startSpoolFlusher(options: Options & { intervalMs?: number }): SpoolFlusher {
  const opts = withDefaults(options);
  const logger = recorderLogger(opts.logger, 'spool-flusher');
  const intervalMs = options.intervalMs ?? recordingConfig().flushIntervalMs;
  let running: Promise<FlushReport | undefined> | undefined;
  let stopped = false;
  const flush = (): Promise<FlushReport | undefined> => {
    if (stopped) return Promise.resolve(undefined);
    running ??= flushSpool(opts)
      .catch((error: unknown) => {
        logger.error(
          { err: error instanceof Error ? error.message : String(error) },
          'flush failed',
        );
        return undefined;
      })
      .finally(() => (running = undefined));
    return running;
  };
  const timer = setInterval(() => void flush(), intervalMs);
  timer.unref();
  void flush();
  return {
    flush,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
