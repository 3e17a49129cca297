import {
  APIConnectionError,
  type APIConnectOptions,
  DEFAULT_API_CONNECT_OPTIONS,
  log,
  stt,
  Task,
} from '@livekit/agents';
import type { AudioFrame } from '@livekit/rtc-node';
import { UnansweredAudio } from './unanswered-audio.js';

export interface ReplayingSTTFallbackOptions extends stt.FallbackAdapterOptions {
  /**
   * At most this much unanswered audio (ms) is kept for the next engine; the oldest goes first.
   * The default is enough for a question and the seconds it takes to notice nobody answers it.
   */
  replayMs?: number;
}

const DEFAULT_REPLAY_MS = 15_000;

type EngineStatus = stt.FallbackAdapter['status'][number];

/**
 * LiveKit's STT FallbackAdapter, whose stream does not lose what the caller said while an engine
 * was failing. The framework's stream hands the next engine only the audio that arrives after
 * the switch: a question spoken into a dying connection (a few seconds pass before the engine
 * is given up) would be lost, and the caller would have to repeat it.
 *
 * Here the stream keeps the audio sent since the last final transcript (see
 * {@link UnansweredAudio}) and plays it to the next engine before the live audio. Everything
 * else is the framework's behaviour: engines in order, a failed engine marked unavailable and
 * probed with the live audio until it gives a transcript again.
 */
export class ReplayingSTTFallback extends stt.FallbackAdapter {
  override label = 'parley.ReplayingSTTFallback';
  readonly replayMs: number;

  constructor(opts: ReplayingSTTFallbackOptions) {
    super(opts);
    this.replayMs = opts.replayMs ?? DEFAULT_REPLAY_MS;
    if (!(this.replayMs > 0)) throw new RangeError('replayMs must be positive');
  }

  override stream(options?: { connOptions?: APIConnectOptions }): ReplayingFallbackStream {
    // As the framework's: the engines retry, the chain itself does not.
    return new ReplayingFallbackStream(
      this,
      options?.connOptions ?? { ...DEFAULT_API_CONNECT_OPTIONS, maxRetry: 0 },
    );
  }
}

export class ReplayingFallbackStream extends stt.SpeechStream {
  label = 'parley.ReplayingFallbackStream';
  readonly #adapter: ReplayingSTTFallback;
  readonly #unanswered: UnansweredAudio;
  /** The engine's stream that transcribes the call, if one does. */
  #current?: stt.SpeechStream;
  #inputEnded = false;
  /** Streams of failed engines, fed the live audio to notice when they work again. */
  readonly #probes = new Map<stt.SpeechStream, Task<void>>();
  readonly #logger = log();

  constructor(adapter: ReplayingSTTFallback, connOptions: APIConnectOptions) {
    super(adapter, undefined, connOptions);
    this.#adapter = adapter;
    this.#unanswered = new UnansweredAudio({ limitMs: adapter.replayMs });
  }

  /**
   * Passes the events on without reporting metrics: each engine reports its own, and the adapter
   * forwards them (as the framework's fallback stream does, or usage would count twice).
   */
  protected override async monitorMetrics(): Promise<void> {
    for await (const event of this.queue) {
      if (!this.output.closed) this.output.put(event);
    }
    if (!this.output.closed) this.output.close();
  }

  protected async run(): Promise<void> {
    const adapter = this.#adapter;
    const everyFailed = adapter.status.every((s) => !s.available);
    if (everyFailed) this.#logger.error('all STTs are unavailable, retrying');
    const clock = { offset: this.startTimeOffset, heardMs: this.#unanswered.heardMs };
    const stopForwarding = new AbortController();
    const forwarding = this.#forward(stopForwarding.signal).catch((error: unknown) => {
      if (!stopForwarding.signal.aborted) throw error;
    });
    try {
      for (const [index, engine] of adapter.sttInstances.entries()) {
        const status = adapter.status[index];
        if (!status) continue;
        if (!status.available && !everyFailed) {
          this.#probe(engine, status);
          continue;
        }
        const offset = this.#unanswered.startOffset(clock.offset, clock.heardMs);
        if (await this.#transcribe(engine, offset)) return;
        if (this.abortSignal.aborted) return;
        if (status.available) {
          status.available = false;
          adapter.emitAvailabilityChanged(engine, false);
        }
        this.#logger.warn({ stt: engine.label }, `${engine.label} failed, switching to next STT`);
        this.#probe(engine, status);
      }
    } finally {
      stopForwarding.abort();
      await forwarding;
      await this.#stopProbes();
    }
    const labels = adapter.sttInstances.map((s) => s.label).join(', ');
    throw new APIConnectionError({ message: `all STTs failed (${labels})` });
  }

  /** Reads the caller's audio: kept until answered, and sent to the engine and the probes. */
  async #forward(signal: AbortSignal): Promise<void> {
    for (;;) {
      const next = await this.input.next({ signal });
      if (next.done) break;
      const item = next.value;
      if (item !== stt.SpeechStream.FLUSH_SENTINEL) this.#unanswered.push(item);
      for (const target of [...this.#probes.keys(), this.#current]) {
        if (target) send(target, item);
      }
    }
    this.#inputEnded = true;
    if (this.#current) endInput(this.#current);
  }

  /**
   * Transcribes the call with `engine`, after the audio no engine has answered yet. Resolves
   * true when the stream ended without an error of the engine, false when the engine failed.
   */
  async #transcribe(engine: stt.STT, startTimeOffset: number): Promise<boolean> {
    const adapter = this.#adapter;
    let failed = false;
    const onError = (event: { recoverable: boolean }) => {
      if (!event.recoverable) failed = true;
    };
    engine.on('error', onError);
    try {
      const child = engine.stream({
        connOptions: {
          maxRetry: adapter.maxRetryPerSTT,
          timeoutMs: adapter.attemptTimeoutMs,
          retryIntervalMs: adapter.retryIntervalMs,
        },
      });
      child.startTimeOffset = startTimeOffset;
      // Synchronously with taking over as the current stream, so no frame is sent twice or
      // out of order: the forwarder keeps every frame it reads before sending it on.
      const replay = this.#unanswered.frames;
      for (const frame of replay) child.pushFrame(frame);
      if (replay.length > 0) {
        this.#logger.info(
          { stt: engine.label, replayMs: Math.round(this.#unanswered.keptMs) },
          'replaying the unanswered audio to the next STT',
        );
      }
      this.#current = child;
      if (this.#inputEnded) endInput(child);
      const onAbort = () => child.close();
      this.abortSignal.addEventListener('abort', onAbort, { once: true });
      try {
        for await (const event of child) {
          adapter._setActiveStt(engine);
          if (
            event.type === stt.SpeechEventType.FINAL_TRANSCRIPT &&
            event.alternatives?.[0]?.text
          ) {
            this.#unanswered.answered();
          }
          if (!this.queue.closed) this.queue.put(event);
        }
      } finally {
        this.abortSignal.removeEventListener('abort', onAbort);
        this.#current = undefined;
        child.close();
      }
      return !failed;
    } catch (error) {
      this.#logger.warn({ stt: engine.label, err: error }, `${engine.label} failed to start`);
      return false;
    } finally {
      engine.off('error', onError);
    }
  }

  /** Feeds a failed engine the live audio; it is available again once it transcribes some. */
  #probe(engine: stt.STT, status: EngineStatus): void {
    if (status.recoveringStreamTask && !status.recoveringStreamTask.done) return;
    const adapter = this.#adapter;
    const probe = engine.stream({
      connOptions: {
        maxRetry: 0,
        timeoutMs: adapter.attemptTimeoutMs,
        retryIntervalMs: adapter.retryIntervalMs,
      },
    });
    // A probe's failure is expected; an EventEmitter throws an 'error' nobody listens to.
    const ignore = () => {};
    engine.on('error', ignore);
    const task = Task.from(async (controller) => {
      // The adapter cancels the task when it closes: closing the probe ends it.
      controller.signal.addEventListener('abort', () => probe.close(), { once: true });
      try {
        for await (const event of probe) {
          if (
            event.type === stt.SpeechEventType.FINAL_TRANSCRIPT &&
            event.alternatives?.[0]?.text
          ) {
            status.available = true;
            this.#logger.info({ stt: engine.label }, `${engine.label} recovered`);
            adapter.emitAvailabilityChanged(engine, true);
            return;
          }
        }
      } catch (error) {
        this.#logger.warn({ stt: engine.label, err: error }, `${engine.label} recovery failed`);
      } finally {
        engine.off('error', ignore);
        probe.close();
        this.#probes.delete(probe);
      }
    });
    this.#probes.set(probe, task);
    status.recoveringStreamTask = task;
  }

  /** Ends this stream's probes (closing a probe ends its task). */
  async #stopProbes(): Promise<void> {
    const tasks = [...this.#probes].map(([probe, task]) => {
      probe.close();
      return task.result;
    });
    await Promise.allSettled(tasks);
  }
}

/**
 * Sends to an engine's stream. A stream that refuses input is ending (it failed, or is being
 * replaced): its engine's error, if any, has been reported, and the audio is kept.
 */
function send(target: stt.SpeechStream, item: AudioFrame | symbol): void {
  try {
    if (typeof item === 'symbol') target.flush();
    else target.pushFrame(item);
  } catch (error) {
    log().debug({ err: error }, 'an STT stream refused input');
  }
}

function endInput(target: stt.SpeechStream): void {
  try {
    target.endInput();
  } catch (error) {
    log().debug({ err: error }, 'an STT stream had ended its input');
  }
}
