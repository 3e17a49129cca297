import type { AudioFrame } from '@livekit/rtc-node';
import { rms } from './audio-level.js';

export interface UnansweredAudioOptions {
  /** At most this much audio (ms) is kept; past it the oldest is dropped. */
  limitMs: number;
  /**
   * Until a voiced frame comes, only this much of the quiet audio before it (ms) is kept: a
   * lead-in for the recogniser and for soft first sounds, without the silence of the turns
   * before (a recogniser spends time on every second it is given).
   */
  leadMs: number;
  /** RMS (0..1) above which a frame counts as voiced; the plugins' own energy filter uses 0.004. */
  voicedRms: number;
}

const defaults: UnansweredAudioOptions = { limitMs: 15_000, leadMs: 500, voicedRms: 0.004 };

/**
 * The audio a speech stream has sent since its engine last gave a final transcript: what a
 * stream that dies takes with it, kept so the next stream (a new connection, or the next engine
 * of a fallback chain) can hear it first. Bounded: past `limitMs` the oldest audio is dropped.
 *
 * A final transcript counts as answering everything sent before it arrived. The engine's own
 * word timings cannot say where the answered audio ends: Deepgram's plugin leaves quiet frames
 * out of what it sends, so its clock runs behind the audio. The cost is the engine's latency
 * (a few hundred milliseconds) of the next words, and only when the stream dies right after a
 * final; the other way round would transcribe those words twice.
 */
export class UnansweredAudio {
  readonly options: UnansweredAudioOptions;
  /** Each kept frame, with where it starts in the stream's audio (ms). */
  #kept: { frame: AudioFrame; atMs: number }[] = [];
  #keptMs = 0;
  #heardMs = 0;
  #voiced = false;

  constructor(opts: Partial<UnansweredAudioOptions> = {}) {
    this.options = { ...defaults, ...opts };
    const { limitMs, leadMs, voicedRms } = this.options;
    if (!(limitMs > 0)) throw new RangeError('limitMs must be positive');
    if (!(leadMs >= 0 && leadMs <= limitMs)) throw new RangeError('leadMs must be in [0, limitMs]');
    if (!(voicedRms >= 0 && voicedRms < 1)) throw new RangeError('voicedRms must be in [0, 1)');
  }

  /** All the audio the stream has sent, in ms. */
  get heardMs(): number {
    return this.#heardMs;
  }

  /** The kept audio, in ms. */
  get keptMs(): number {
    return this.#keptMs;
  }

  /** The kept frames, oldest first. */
  get frames(): AudioFrame[] {
    return this.#kept.map((k) => k.frame);
  }

  push(frame: AudioFrame): void {
    const ms = durationMs(frame);
    this.#kept.push({ frame, atMs: this.#heardMs });
    this.#heardMs += ms;
    this.#keptMs += ms;
    this.#voiced ||= frame.data.length > 0 && rms(frame.data) > this.options.voicedRms;
    const limitMs = this.#voiced ? this.options.limitMs : this.options.leadMs;
    while (this.#keptMs > limitMs) {
      const oldest = this.#kept.shift();
      if (!oldest) break;
      this.#keptMs -= durationMs(oldest.frame);
    }
  }

  /** A final transcript arrived: everything sent so far was heard. */
  answered(): void {
    this.#kept = [];
    this.#keptMs = 0;
    this.#voiced = false;
  }

  /**
   * Where the kept audio starts on a stream's clock (seconds, never negative), given that the
   * stream's audio at `heardAtMs` was at `offsetSeconds`: the start time offset for a stream
   * that hears the kept audio first.
   */
  startOffset(offsetSeconds: number, heardAtMs: number): number {
    const startMs = this.#kept[0]?.atMs ?? this.#heardMs;
    return Math.max(0, offsetSeconds + (startMs - heardAtMs) / 1000);
  }
}

function durationMs(frame: AudioFrame): number {
  return (frame.samplesPerChannel / frame.sampleRate) * 1000;
}
