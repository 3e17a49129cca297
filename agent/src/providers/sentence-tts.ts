import { APIError, type APIConnectOptions, AudioByteStream, tts } from '@livekit/agents';
import type { AudioFrame } from '@livekit/rtc-node';
import { randomUUID } from 'node:crypto';
import { rms } from './audio-level.js';
import { SentenceSplitter } from './sentence-splitter.js';
import { parseWav } from './wav.js';

export interface SentenceTTSOptions {
  /** Length of each audio frame handed to LiveKit, in milliseconds. */
  frameMs: number;
  /** Sentences shorter than this are joined with the next one before they are spoken. */
  minSentenceLength: number;
}

/**
 * An offline engine that renders a whole sentence at a time (Flite, Festival): `stream()` speaks
 * each sentence as soon as it is complete, so the first words play while the rest of the reply
 * is still being written. Subclasses only turn a piece of text into a WAV.
 */
export abstract class SentenceTTS extends tts.TTS {
  abstract readonly options: SentenceTTSOptions;

  /** The engine's WAV for `text`, or undefined when `signal` stopped it. */
  protected abstract renderWav(text: string, signal: AbortSignal): Promise<Buffer | undefined>;

  synthesize(
    text: string,
    connOptions?: APIConnectOptions,
    abortSignal?: AbortSignal,
  ): SentenceChunkedStream {
    return new SentenceChunkedStream(this, text, connOptions, abortSignal);
  }

  stream(options?: { connOptions?: APIConnectOptions }): SentenceSynthesizeStream {
    return new SentenceSynthesizeStream(this, options?.connOptions);
  }

  /** Renders one piece of text and returns its audio as frames. */
  async render(text: string, signal: AbortSignal): Promise<AudioFrame[]> {
    if (!/[\p{L}\p{N}]/u.test(text)) return []; // nothing to pronounce
    const wav = await this.renderWav(text, signal);
    if (!wav) return [];
    const audio = parseWav(wav);
    if (audio.sampleRate !== this.sampleRate || audio.channels !== 1) {
      throw new APIError(
        `${this.model} produced ${audio.sampleRate} Hz x${audio.channels}, ` +
          `expected ${this.sampleRate} Hz mono`,
        { retryable: false },
      );
    }
    const samplesPerFrame = Math.round((this.sampleRate * this.options.frameMs) / 1000);
    const bytes = new AudioByteStream(this.sampleRate, 1, samplesPerFrame);
    const speech = withoutLeadingSilence(audio.samples, this.sampleRate);
    return [...bytes.write(speech), ...bytes.flush()];
  }
}

/** Quieter than this (about −40 dBFS) a 10 ms stretch of an engine's output is silence. */
const SILENCE_RMS = 328 / 32_768;
/** Kept before the first sound, so the onset of the first word is not clipped. */
const ONSET_MS = 20;

/**
 * `pcm` without the silence the engines put before every utterance (Flite about 200 ms): the
 * caller would wait through it before hearing the first word.
 */
export function withoutLeadingSilence(pcm: Int16Array, sampleRate: number): Int16Array {
  const window = Math.round(sampleRate / 100);
  for (let start = 0; start < pcm.length; start += window) {
    if (rms(pcm.subarray(start, start + window)) >= SILENCE_RMS) {
      return pcm.subarray(Math.max(0, start - Math.round((sampleRate * ONSET_MS) / 1000)));
    }
  }
  return pcm;
}

export class SentenceChunkedStream extends tts.ChunkedStream {
  label = 'parley.SentenceChunkedStream';
  readonly #tts: SentenceTTS;

  constructor(
    ttsInstance: SentenceTTS,
    text: string,
    connOptions?: APIConnectOptions,
    abortSignal?: AbortSignal,
  ) {
    super(text, ttsInstance, connOptions, abortSignal);
    this.#tts = ttsInstance;
  }

  protected async run(): Promise<void> {
    const requestId = randomUUID();
    const frames = await this.#tts.render(this.inputText, this.abortSignal);
    frames.forEach((frame, i) => {
      if (this.abortSignal.aborted) return;
      this.queue.put({ requestId, segmentId: requestId, frame, final: i === frames.length - 1 });
    });
  }
}

export class SentenceSynthesizeStream extends tts.SynthesizeStream {
  label = 'parley.SentenceSynthesizeStream';
  readonly #tts: SentenceTTS;

  constructor(ttsInstance: SentenceTTS, connOptions?: APIConnectOptions) {
    super(ttsInstance, connOptions);
    this.#tts = ttsInstance;
  }

  protected async run(): Promise<void> {
    const splitter = new SentenceSplitter(this.#tts.options.minSentenceLength);
    let segmentId = randomUUID();
    /** The last frame is held back so that it can be marked final when its segment ends. */
    let pending: tts.SynthesizedAudio | undefined;
    const emit = (audio: tts.SynthesizedAudio | undefined) => {
      if (audio && !this.abortSignal.aborted && !this.queue.closed) this.queue.put(audio);
    };
    const speak = async (sentences: string[]) => {
      for (const sentence of sentences) {
        if (this.abortSignal.aborted) return;
        this.markStarted();
        const frames = await this.#tts.render(sentence, this.abortSignal);
        frames.forEach((frame, i) => {
          emit(pending);
          pending = {
            requestId: segmentId,
            segmentId,
            frame,
            final: false,
            deltaText: i === 0 ? sentence : undefined,
          };
        });
      }
    };

    for await (const input of this.input) {
      if (this.abortSignal.aborted) break;
      if (input === tts.SynthesizeStream.FLUSH_SENTINEL) {
        await speak(splitter.flush());
        if (pending) emit({ ...pending, final: true });
        pending = undefined;
        segmentId = randomUUID();
      } else {
        await speak(splitter.push(input));
      }
    }
    await speak(splitter.flush());
    if (pending) emit({ ...pending, final: true });
    if (!this.abortSignal.aborted && !this.queue.closed) {
      this.queue.put(tts.SynthesizeStream.END_OF_STREAM);
    }
  }
}
