import type { CallClose, CallInput, TurnInput } from '@parley/contracts';
import { randomUUID } from 'node:crypto';
import { ServerApiError } from '../server-api/server-api-error.js';
import { CallApi, type CallOp } from './call-api.js';
import { recorderLogger, type RecorderLogger } from './recorder-logger.js';
import { recordingConfig } from './recording-config.js';
import { SpoolJournal } from './spool-journal.js';

export interface BackoffOptions {
  /** Delay before the second attempt; each further attempt doubles it, up to `maxMs`. */
  initialMs: number;
  maxMs: number;
}

export interface CallRecorderOptions {
  serverUrl: string;
  agentKey: string;
  /** The call record to create; `startedAt` defaults to the moment the recorder starts. */
  call: CallInput;
  /** Journals live here (`PARLEY_SPOOL_DIR`). */
  spoolDir: string;
  /** Per request. */
  requestTimeoutMs: number;
  backoff: BackoffOptions;
  /** How long `close()` waits for the server to take everything before leaving it spooled. */
  drainTimeoutMs: number;
  fetch: typeof fetch;
  /** In [0, 1); jitters the backoff. */
  random: () => number;
  logger?: RecorderLogger;
}

export type CallEnd = Omit<CallClose, 'endedAt'> & { endedAt?: string };

export interface CloseReport {
  callId?: string;
  /** True when the server took every op; otherwise the rest waits in the spool. */
  drained: boolean;
  /** Ops not yet answered, now left to `flushSpool`. */
  pending: number;
}

const defaults = {
  requestTimeoutMs: 5_000,
  backoff: { initialMs: 250, maxMs: 5_000 },
  drainTimeoutMs: 10_000,
  random: Math.random,
};

interface Entry {
  n: number;
  op: CallOp;
}

/**
 * Records one call on the Parley server: creates the record, appends each turn as it
 * completes, closes it at the end — in that order, one request at a time.
 *
 * Every op is written (fsync'd) to the call's journal in the spool directory before it is
 * sent, and acked there once the server answers. So a killed agent loses nothing it handed
 * over: at most the turn still being built, or the one being written. Keeping ops in memory until a first
 * failure would lose every op queued behind a slow request; the fsync costs a millisecond or
 * two per turn, and turns are seconds apart.
 *
 * Retryable failures (unreachable, 5xx, 408, 429) are retried with capped, jittered
 * exponential backoff for as long as the call lasts; a permanent refusal (another 4xx) drops
 * that op and is logged. `close()` waits at most `drainTimeoutMs`, then leaves what is left in
 * the spool for `flushSpool`.
 */
export class CallRecorder {
  readonly #opts: CallRecorderOptions;
  readonly #api: CallApi;
  readonly #journal?: SpoolJournal;
  readonly #queue: Entry[] = [];
  readonly #stop = new AbortController();
  readonly #instance = randomUUID().slice(0, 8);
  #nextN = 0;
  #callId?: string;
  #resolveCreated: (callId: string) => void = () => undefined;
  readonly #created = new Promise<string>((resolve) => (this.#resolveCreated = resolve));
  #journaling: Promise<void> = Promise.resolve();
  #pump?: Promise<void>;
  #closing?: Promise<CloseReport>;

  private constructor(opts: CallRecorderOptions, journal: SpoolJournal | undefined) {
    this.#opts = opts;
    this.#journal = journal;
    this.#api = new CallApi({
      serverUrl: opts.serverUrl,
      agentKey: opts.agentKey,
      timeoutMs: opts.requestTimeoutMs,
      fetch: opts.fetch,
    });
  }

  /**
   * Opens the call's journal and queues the record's creation. Resolves without waiting for
   * the server: an unreachable server must not hold up the call.
   */
  static async start(
    opts: Pick<CallRecorderOptions, 'serverUrl' | 'agentKey' | 'call'> &
      Partial<CallRecorderOptions>,
  ): Promise<CallRecorder> {
    const full: CallRecorderOptions = {
      fetch: globalThis.fetch,
      ...defaults,
      ...opts,
      spoolDir: opts.spoolDir ?? recordingConfig().spoolDir,
    };
    const { backoff, drainTimeoutMs, requestTimeoutMs } = full;
    if (!(backoff.initialMs > 0 && backoff.maxMs >= backoff.initialMs)) {
      throw new RangeError('backoff needs 0 < initialMs <= maxMs');
    }
    if (!(drainTimeoutMs >= 0 && requestTimeoutMs > 0)) {
      throw new RangeError('drainTimeoutMs must be >= 0 and requestTimeoutMs > 0');
    }
    const call = { ...full.call, startedAt: full.call.startedAt ?? new Date().toISOString() };
    let journal: SpoolJournal | undefined;
    try {
      journal = await SpoolJournal.create(full.spoolDir, call.roomName);
    } catch (error) {
      // Recording goes on without the spool: a full disk must not end the call.
      logger(full).error({ err: describe(error) }, 'cannot write the call journal');
    }
    const recorder = new CallRecorder(full, journal);
    void recorder.#enqueue(() => ({ type: 'create', call }));
    return recorder;
  }

  get roomName(): string {
    return this.#opts.call.roomName;
  }

  /** The server's id for the call, once it has answered the create. */
  get callId(): string | undefined {
    return this.#callId;
  }

  /**
   * Resolves with the call's id once the server has created the record (tools that store
   * leads or bookings against the call wait for it); rejects if `signal` aborts first.
   */
  whenCreated(signal?: AbortSignal): Promise<string> {
    if (!signal) return this.#created;
    return Promise.race([
      this.#created,
      new Promise<never>((_, reject) => {
        if (signal.aborted) reject(signal.reason);
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      }),
    ]);
  }

  /** Where this call's journal is (undefined when the spool could not be written). */
  get journalPath(): string | undefined {
    return this.#journal?.path;
  }

  /**
   * Queues the next turn. Resolves once it is in the journal — the point from which a crash can
   * no longer lose it.
   *
   * Its idempotency key is `<roomName>:<recorder>:<n>`: stable across every retry and replay of
   * this op (the key is journaled with it), and distinct from the keys of another recorder of the
   * same room — when LiveKit dispatches a room's job again after a crash, the second agent's
   * turn 1 must not be taken for a retry of the first agent's.
   */
  appendTurn(turn: TurnInput): Promise<void> {
    if (this.#closing) {
      logger(this.#opts).warn({ room: this.roomName }, 'turn after close() ignored');
      return Promise.resolve();
    }
    const prefix = `${this.roomName.slice(0, 150)}:${this.#instance}`;
    return this.#enqueue((n) => ({ type: 'turn', key: `${prefix}:${n}`, turn }));
  }

  /** Resolves when every queued op is answered (or, after `close()`, given up to the spool). */
  async whenIdle(): Promise<void> {
    for (;;) {
      await this.#journaling;
      const pump = this.#pump;
      if (!pump) return;
      await pump;
    }
  }

  /** Queues the close, waits (bounded) for the server to take everything. Idempotent. */
  close(end: CallEnd): Promise<CloseReport> {
    this.#closing ??= this.#close(end);
    return this.#closing;
  }

  async #close(end: CallEnd): Promise<CloseReport> {
    const close = { ...end, endedAt: end.endedAt ?? new Date().toISOString() };
    await this.#enqueue(() => ({ type: 'close', close }));
    const deadline = new AbortController();
    const drained = await Promise.race([
      this.whenIdle().then(() => this.#queue.length === 0),
      sleep(this.#opts.drainTimeoutMs, deadline.signal).then(() => false),
    ]);
    deadline.abort();
    this.#stop.abort();
    await this.whenIdle();
    const pending = this.#queue.length;
    try {
      if (pending === 0) await this.#journal?.remove();
      else await this.#journal?.release();
    } catch (error) {
      logger(this.#opts).error({ err: describe(error) }, 'cannot tidy up the call journal');
    }
    if (pending > 0) {
      logger(this.#opts).warn(
        { room: this.roomName, pending, journal: this.#journal?.path },
        'server did not take the whole call record; the rest stays spooled',
      );
    }
    return { callId: this.#callId, drained: drained && pending === 0, pending };
  }

  /** Journals the op, then queues it: an op is never sent before it is on disk. */
  #enqueue(build: (n: number) => CallOp): Promise<void> {
    const n = this.#nextN++;
    const entry = { n, op: build(n) };
    const journaled = this.#journaling.then(async () => {
      try {
        await this.#journal?.record(entry.n, entry.op);
      } catch (error) {
        logger(this.#opts).error({ err: describe(error) }, 'cannot journal a call op');
      }
      this.#queue.push(entry);
      this.#kick();
    });
    this.#journaling = journaled;
    return journaled;
  }

  #kick(): void {
    if (this.#pump || this.#stop.signal.aborted) return;
    this.#pump = this.#drain().finally(() => {
      this.#pump = undefined;
      if (this.#queue.length > 0) this.#kick();
    });
  }

  async #drain(): Promise<void> {
    for (let entry = this.#queue[0]; entry; entry = this.#queue[0]) {
      const answer = await this.#send(entry);
      if (answer === 'stopped') return;
      this.#queue.shift();
      try {
        await this.#journal?.ack(entry.n, answer);
      } catch (error) {
        logger(this.#opts).warn({ err: describe(error) }, 'cannot journal an answer');
      }
    }
  }

  async #send(entry: Entry): Promise<{ callId?: string; dropped?: string } | 'stopped'> {
    const signal = this.#stop.signal;
    for (let attempt = 1; !signal.aborted; attempt++) {
      try {
        const callId = await this.#api.send(entry.op, this.#callId, signal);
        if (entry.op.type !== 'create') return {};
        this.#callId = callId;
        this.#resolveCreated(callId);
        return { callId };
      } catch (error) {
        const retryable = error instanceof ServerApiError && error.retryable;
        const fields = { room: this.roomName, op: entry.op.type, n: entry.n, attempt };
        if (!retryable) {
          logger(this.#opts).error({ ...fields, err: describe(error) }, 'call op refused; dropped');
          return { dropped: error instanceof ServerApiError ? error.code : 'error' };
        }
        if (attempt === 1 || attempt % 20 === 0) {
          logger(this.#opts).warn({ ...fields, err: describe(error) }, 'call op failed; retrying');
        }
        await sleep(backoffDelay(attempt, this.#opts.backoff, this.#opts.random), signal);
      }
    }
    return 'stopped';
  }
}

/** Equal jitter: half the exponential step, plus a random share of the other half. */
export function backoffDelay(attempt: number, backoff: BackoffOptions, random: () => number) {
  const step = Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(attempt - 1, 30));
  return step / 2 + random() * (step / 2);
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

function logger(opts: Pick<CallRecorderOptions, 'logger'>): RecorderLogger {
  return recorderLogger(opts.logger, 'call-recorder');
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
