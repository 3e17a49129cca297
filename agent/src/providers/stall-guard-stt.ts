import {
  APIConnectionError,
  type APIConnectOptions,
  APIError,
  type AudioBuffer,
  DEFAULT_API_CONNECT_OPTIONS,
  stt,
} from '@livekit/agents';
import type { AudioFrame } from '@livekit/rtc-node';
import { rms } from './audio-level.js';
import { UnansweredAudio } from './unanswered-audio.js';

export interface StallGuardOptions {
  /**
   * How long voiced audio may go unanswered (no speech event, no transcript) before the
   * engine's connection is presumed dead, in milliseconds: both this much time and this much
   * audio sent since, so a job that falls behind real time (a busy machine) and sends its audio
   * late is not mistaken for an engine that stopped answering.
   */
  stallMs: number;
  /** RMS (0..1) above which a frame counts as voiced; the plugins' own energy filter uses 0.004. */
  voicedRms: number;
  /** At most this much unanswered audio (ms) is sent again to a new connection. */
  replayMs: number;
}

const defaults: StallGuardOptions = { stallMs: 3_000, voicedRms: 0.004, replayMs: 15_000 };

/**
 * Wraps a streaming STT whose stream can die without saying so, and fails the stream when the
 * engine stops answering speech. The stream's retry then opens a new connection and sends it
 * first the audio the dead one left unanswered ({@link UnansweredAudio}); when that fails too,
 * the fallback chain hands the call, and that audio, to the next engine.
 *
 * Needed for Deepgram's plugin (1.8.1): when the server drops the WebSocket mid-stream the
 * plugin logs "closed unexpectedly" but never ends or reconnects the stream (its connection
 * monitor is passed to `Promise.all` as a Task, not as the Task's promise), so transcription
 * would stop for the rest of the call.
 */
export class StallGuardSTT extends stt.STT {
  readonly label: string;
  readonly inner: stt.STT;
  readonly options: StallGuardOptions;

  constructor(inner: stt.STT, opts: Partial<StallGuardOptions> = {}) {
    if (!inner.capabilities.streaming) throw new TypeError(`${inner.label} does not stream`);
    super({ ...inner.capabilities });
    this.inner = inner;
    this.label = `${inner.label}+stall-guard`;
    this.options = { ...defaults, ...opts };
  }

  override get model(): string {
    return this.inner.model;
  }

  override get provider(): string {
    return this.inner.provider;
  }

  protected _recognize(buffer: AudioBuffer, abortSignal?: AbortSignal): Promise<stt.SpeechEvent> {
    return this.inner.recognize(buffer, abortSignal);
  }

  override _updateSessionKeyterms(keyterms: string[]): void {
    this.inner._updateSessionKeyterms(keyterms);
  }

  stream(options?: { connOptions?: APIConnectOptions }): StallGuardStream {
    return new StallGuardStream(this, options?.connOptions);
  }

  override async close(): Promise<void> {
    await this.inner.close();
  }
}

export class StallGuardStream extends stt.SpeechStream {
  label = 'parley.StallGuardStream';
  readonly #guard: StallGuardSTT;
  readonly #connOptions: APIConnectOptions;
  /** Kept across attempts: a retry's new connection hears it first. */
  readonly #unanswered: UnansweredAudio;

  constructor(guard: StallGuardSTT, connOptions = DEFAULT_API_CONNECT_OPTIONS) {
    // No sample rate: frames pass through as they come, the inner stream resamples them.
    super(guard, undefined, connOptions);
    this.#guard = guard;
    this.#connOptions = connOptions;
    this.#unanswered = new UnansweredAudio({
      limitMs: guard.options.replayMs,
      voicedRms: guard.options.voicedRms,
    });
  }

  protected async run(): Promise<void> {
    const { inner, options } = this.#guard;
    // One attempt per run: retrying is this stream's job, so a stall and a failed reconnect
    // count against the same budget.
    const stream = inner.stream({ connOptions: { ...this.#connOptions, maxRetry: 0 } });
    const unanswered = this.#unanswered;
    stream.startTimeOffset = unanswered.startOffset(this.startTimeOffset, unanswered.heardMs);
    let failure: Error | undefined;
    const onError = (event: { error: Error; recoverable: boolean }) => {
      if (!event.recoverable) failure = event.error;
    };
    inner.on('error', onError);
    const stop = new AbortController();
    let innerClosed = false;
    const closeInner = () => {
      innerClosed = true;
      stream.close();
    };
    const onAbort = closeInner;
    this.abortSignal.addEventListener('abort', onAbort, { once: true });
    let unansweredSince: number | undefined;
    /** Audio sent, and how much had been sent when `unansweredSince` was set, in ms. */
    let sentMs = 0;
    let sentBefore = 0;
    let stalled = false;
    const watchdog = setInterval(() => {
      if (
        unansweredSince !== undefined &&
        performance.now() - unansweredSince > options.stallMs &&
        sentMs - sentBefore > options.stallMs
      ) {
        stalled = true;
        closeInner(); // ends the reader below
      }
    }, 100);

    const send = (frame: AudioFrame) => {
      if (unansweredSince === undefined && isVoiced(frame, options.voicedRms)) {
        unansweredSince = performance.now();
        sentBefore = sentMs;
      }
      sentMs += (frame.samplesPerChannel / frame.sampleRate) * 1000;
      stream.pushFrame(frame);
    };
    // What an earlier attempt's connection took with it; it counts as sent now, so a new
    // connection that does not answer it either is given up as quickly.
    unanswered.frames.forEach(send);
    const forward = async () => {
      for (;;) {
        const next = await this.input.next({ signal: stop.signal });
        if (next.done) break;
        const item = next.value;
        if (item !== stt.SpeechStream.FLUSH_SENTINEL) unanswered.push(item);
        if (innerClosed) break; // the frame is kept for the next attempt
        if (item === stt.SpeechStream.FLUSH_SENTINEL) stream.flush();
        else send(item);
      }
      if (!innerClosed) stream.endInput();
    };
    const read = async () => {
      for await (const event of stream) {
        if (event.type !== stt.SpeechEventType.RECOGNITION_USAGE) unansweredSince = undefined;
        if (event.type === stt.SpeechEventType.FINAL_TRANSCRIPT && event.alternatives?.[0]?.text) {
          unanswered.answered();
        }
        if (!this.queue.closed) this.queue.put(event);
      }
    };

    const forwarding = forward().catch((error: unknown) => {
      if (!stop.signal.aborted) throw error;
    });
    try {
      await read();
    } finally {
      clearInterval(watchdog);
      this.abortSignal.removeEventListener('abort', onAbort);
      stop.abort();
      inner.off('error', onError);
      closeInner();
    }
    await forwarding;
    if (this.abortSignal.aborted) return;
    if (stalled) {
      throw new APIConnectionError({
        message: `${inner.label} did not answer ${options.stallMs} ms of speech`,
      });
    }
    if (failure instanceof APIError) throw failure;
    if (failure) throw new APIConnectionError({ message: `${inner.label}: ${failure.message}` });
  }
}

function isVoiced(frame: AudioFrame, threshold: number): boolean {
  return frame.data.length > 0 && rms(frame.data) > threshold;
}
