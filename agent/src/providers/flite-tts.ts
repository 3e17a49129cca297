import {
  APIError,
  type APIConnectOptions,
  AudioByteStream,
  DEFAULT_API_CONNECT_OPTIONS,
  tts,
} from '@livekit/agents';
import type { AudioFrame } from '@livekit/rtc-node';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rms } from './audio-level.js';
import { SentenceSplitter } from './sentence-splitter.js';
import { parseWav } from './wav.js';

/** Flite voices shipped by Debian's `flite` package and the rate each one speaks at. */
export const FLITE_VOICES = {
  slt: 16_000,
  awb: 16_000,
  rms: 16_000,
  kal16: 16_000,
  kal: 8_000,
} as const;
export type FliteVoice = keyof typeof FLITE_VOICES;

export function isFliteVoice(voice: string): voice is FliteVoice {
  return Object.hasOwn(FLITE_VOICES, voice);
}

export interface FliteTTSOptions {
  /** The `flite` executable. */
  binPath: string;
  voice: FliteVoice;
  /** Length of each audio frame handed to LiveKit, in milliseconds. */
  frameMs: number;
  /** Sentences shorter than this are joined with the next one before they are spoken. */
  minSentenceLength: number;
}

const defaults: FliteTTSOptions = {
  binPath: 'flite',
  voice: 'slt',
  frameMs: 50,
  minSentenceLength: 20,
};

/**
 * Offline text-to-speech with CMU Flite. `stream()` speaks each sentence as soon as it is
 * complete, so the first words play while the rest of the reply is still being written.
 */
export class FliteTTS extends tts.TTS {
  label = 'parley.FliteTTS';
  readonly options: FliteTTSOptions;

  constructor(opts: Partial<FliteTTSOptions> = {}) {
    const options = { ...defaults, ...opts };
    if (!isFliteVoice(options.voice))
      throw new RangeError(`unknown flite voice '${options.voice}'`);
    if (!(options.frameMs > 0)) throw new RangeError('frameMs must be positive');
    super(FLITE_VOICES[options.voice], 1, { streaming: true });
    this.options = options;
  }

  override get model(): string {
    return `flite-${this.options.voice}`;
  }

  override get provider(): string {
    return 'flite';
  }

  synthesize(
    text: string,
    connOptions: APIConnectOptions = DEFAULT_API_CONNECT_OPTIONS,
    abortSignal?: AbortSignal,
  ): FliteChunkedStream {
    return new FliteChunkedStream(this, text, connOptions, abortSignal);
  }

  stream(options?: { connOptions?: APIConnectOptions }): FliteSynthesizeStream {
    return new FliteSynthesizeStream(this, options?.connOptions);
  }

  /** Runs flite on one piece of text and returns its audio as frames. */
  async render(text: string, signal: AbortSignal): Promise<AudioFrame[]> {
    if (!/[\p{L}\p{N}]/u.test(text)) return []; // nothing to pronounce
    const wav = await runFlite(this.options.binPath, this.options.voice, text, signal);
    if (!wav) return [];
    const audio = parseWav(wav);
    if (audio.sampleRate !== this.sampleRate || audio.channels !== 1) {
      throw new APIError(
        `flite voice '${this.options.voice}' produced ${audio.sampleRate} Hz x${audio.channels}, ` +
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

/** Quieter than this (about −40 dBFS) a 10 ms stretch of Flite's output is silence. */
const SILENCE_RMS = 328 / 32_768;
/** Kept before the first sound, so the onset of the first word is not clipped. */
const ONSET_MS = 20;

/**
 * `pcm` without the silence Flite puts before every utterance (about 200 ms): the caller would
 * wait through it before hearing the first word.
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

export class FliteChunkedStream extends tts.ChunkedStream {
  label = 'parley.FliteChunkedStream';
  readonly #tts: FliteTTS;

  constructor(
    ttsInstance: FliteTTS,
    text: string,
    connOptions: APIConnectOptions,
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

export class FliteSynthesizeStream extends tts.SynthesizeStream {
  label = 'parley.FliteSynthesizeStream';
  readonly #tts: FliteTTS;

  constructor(ttsInstance: FliteTTS, connOptions?: APIConnectOptions) {
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

/**
 * Resolves with flite's WAV output, or undefined when `signal` stopped it. flite writes through
 * `fopen()`, which cannot open Node's stdio sockets as `/dev/stdout`, so it writes a temp file.
 */
async function runFlite(
  binPath: string,
  voice: string,
  text: string,
  signal: AbortSignal,
): Promise<Buffer | undefined> {
  if (signal.aborted) return undefined;
  const dir = await mkdtemp(join(tmpdir(), 'parley-flite-'));
  const file = join(dir, 'speech.wav');
  try {
    const ok = await new Promise<boolean>((resolve, reject) => {
      // `-t` takes the next argument as text even when it starts with a dash.
      const child = spawn(binPath, ['-voice', voice, '-t', text, '-o', file], {
        stdio: ['ignore', 'ignore', 'pipe'],
        signal,
      });
      let err = '';
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      child.once('error', (error) => {
        if (signal.aborted) resolve(false);
        else reject(new APIError(`cannot run ${binPath}: ${error.message}`, { retryable: false }));
      });
      child.once('close', (code) => {
        if (signal.aborted) resolve(false);
        else if (code === 0) resolve(true);
        else reject(new APIError(`flite exited with ${code}: ${err.trim()}`, { retryable: false }));
      });
    });
    return ok ? await readFile(file) : undefined;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
