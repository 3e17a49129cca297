import { log } from '@livekit/agents';
import { type Heartbeat, INTERNAL_API } from '@parley/contracts';
import { ServerClient } from '../server-api/server-client.js';

/** The worker as the heartbeat sees it: LiveKit Agents' `AgentServer` fits. */
export interface RegisteredWorker {
  /** LiveKit's id for the worker, `'unregistered'` until registration completes. */
  readonly id: string;
  /** The calls it runs now. */
  readonly activeJobs?: readonly unknown[];
}

/** The subset of a logger the heartbeat uses. */
export interface HeartbeatLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface WorkerHeartbeatOptions {
  serverUrl: string;
  agentKey: string;
  agentName: string;
  intervalMs: number;
  /**
   * How long one sign of life from the worker counts. LiveKit Agents polls the load function
   * every 2.5 s while the worker is connected, so 3 missed polls mean it is not.
   */
  staleAfterMs: number;
  timeoutMs: number;
  pid: number;
  /**
   * The calls this worker takes at most (`PARLEY_AGENT_MAX_JOBS`). With it, each heartbeat
   * carries the worker's load (`activeJobs` of `maxJobs`), which the server admits new calls by.
   */
  maxJobs?: number;
  fetch: typeof fetch;
  now: () => number;
  logger?: HeartbeatLogger;
}

const UNREGISTERED = 'unregistered';

/**
 * Tells the Parley server, every few seconds, that this worker is registered with LiveKit; the
 * server's `/healthz` is green only while these arrive. Runs in the worker's main process.
 *
 * LiveKit Agents has no public "connected" event reachable through `cli.runApp`, but it calls
 * `ServerOptions.loadFunc(worker)` every 2.5 s for as long as the worker's connection to LiveKit
 * is up, and `worker.id` holds the id LiveKit assigned at registration. {@link wrapLoadFunc}
 * uses that call as the sign of life, so heartbeats stop when the connection drops or the
 * worker drains.
 */
export class WorkerHeartbeat {
  readonly #opts: WorkerHeartbeatOptions;
  readonly #server: ServerClient;
  #workerId?: string;
  #lastSeen = -Infinity;
  #activeJobs?: number;
  /** The call count the last accepted heartbeat carried. */
  #sentJobs?: number;
  #timer?: NodeJS.Timeout;
  #inFlight?: Promise<boolean>;
  #failing = false;

  constructor(
    opts: Pick<WorkerHeartbeatOptions, 'serverUrl' | 'agentKey' | 'agentName'> &
      Partial<WorkerHeartbeatOptions>,
  ) {
    this.#opts = {
      intervalMs: 5_000,
      staleAfterMs: 7_500,
      timeoutMs: 3_000,
      pid: process.pid,
      fetch: globalThis.fetch,
      now: Date.now,
      ...opts,
    };
    this.#server = new ServerClient(this.#opts);
  }

  get #logger(): HeartbeatLogger {
    return this.#opts.logger ?? log().child({ component: 'heartbeat' });
  }

  /** Wraps a load function so that each of its calls counts as a sign of life. */
  wrapLoadFunc<W extends RegisteredWorker>(
    loadFunc: (worker: W) => Promise<number>,
  ): (worker: W) => Promise<number> {
    return (worker) => {
      this.observe(worker.id, worker.activeJobs?.length);
      return loadFunc(worker);
    };
  }

  /**
   * Records that the worker with this id is registered and connected right now, running
   * `activeJobs` calls. A changed call count is sent at once, so the server's view of free
   * capacity lags the worker's by one load poll (2.5 s), not a heartbeat interval.
   */
  observe(workerId: string, activeJobs?: number): void {
    if (!workerId || workerId === UNREGISTERED) return;
    this.#lastSeen = this.#opts.now();
    const isNew = workerId !== this.#workerId;
    const loadChanged = activeJobs !== undefined && activeJobs !== this.#activeJobs;
    this.#workerId = workerId;
    if (activeJobs !== undefined) this.#activeJobs = activeJobs;
    if (!this.#timer) {
      this.#timer = setInterval(() => void this.beat(), this.#opts.intervalMs);
      this.#timer.unref();
    }
    if (isNew) {
      this.#logger.info({ workerId }, 'worker registered with LiveKit; sending heartbeats');
    }
    // A beat already in flight may carry the old count: the new one follows it.
    if (isNew || loadChanged) {
      void this.beat().then(() => this.#sentJobs !== this.#activeJobs && this.beat());
    }
  }

  /** Sends one heartbeat if the worker was seen recently; resolves with whether it was accepted. */
  beat(): Promise<boolean> {
    this.#inFlight ??= this.#send().finally(() => (this.#inFlight = undefined));
    return this.#inFlight;
  }

  async #send(): Promise<boolean> {
    const workerId = this.#workerId;
    if (!workerId || this.#opts.now() - this.#lastSeen > this.#opts.staleAfterMs) return false;
    const path = INTERNAL_API.workerHeartbeat();
    const url = `${this.#opts.serverUrl}${path}`;
    const { maxJobs } = this.#opts;
    const beat: Heartbeat = {
      agentName: this.#opts.agentName,
      workerId,
      pid: this.#opts.pid,
      ...(maxJobs !== undefined &&
        this.#activeJobs !== undefined && { activeJobs: this.#activeJobs, maxJobs }),
    };
    try {
      await this.#server.request({ method: 'POST', path, body: beat });
      this.#sentJobs = beat.activeJobs;
      if (this.#failing) this.#logger.info({ url }, 'heartbeats accepted again');
      this.#failing = false;
      return true;
    } catch (error) {
      // Logged once per outage: the server may simply not be up yet.
      if (!this.#failing) {
        const reason = error instanceof Error ? error.message : String(error);
        this.#logger.warn({ url, reason }, 'heartbeat failed; will keep trying');
      }
      this.#failing = true;
      return false;
    }
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
