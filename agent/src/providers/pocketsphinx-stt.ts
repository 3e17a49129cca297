import {
  APIConnectionError,
  APIError,
  type APIConnectOptions,
  type AudioBuffer,
  asLanguageCode,
  log,
  stt,
} from '@livekit/agents';
import { AudioFrame, AudioResampler } from '@livekit/rtc-node';
import { buildBiasLanguageModel, CONVERSATION_PHRASES } from './bias-language-model.js';
import {
  PocketSphinxError,
  PocketSphinxProcess,
  type PocketSphinxProcessOptions,
  type ShimEvent,
} from './pocketsphinx-process.js';

export const POCKETSPHINX_SAMPLE_RATE = 16_000;

export interface PocketSphinxSTTOptions {
  /** The `parley-ps-stream` shim built from `agent/native`. */
  binPath: string;
  hmmDir: string;
  lmPath: string;
  dictPath: string;
  language: string;
  /**
   * Phrases callers are likely to say (e.g. the persona's knowledge questions). When given, a
   * small model built from them is interpolated with the general one; empty means no biasing.
   */
  biasPhrases: readonly string[];
  /** Weight of the bias model against the general model, 0 < w < 1. */
  biasWeight: number;
  /** Frames (10 ms) of silence after which an utterance is final. */
  vadPostspeechFrames: number;
  /** Audio between interim transcripts, in milliseconds. */
  partialIntervalMs: number;
  /** The worker's PocketSphinx server (`pocketsphinx-server.ts`), if it runs one. */
  serverSocket?: string;
}

const defaults = {
  language: 'en-US',
  biasPhrases: [] as readonly string[],
  biasWeight: 0.3,
  vadPostspeechFrames: 30,
  partialIntervalMs: 200,
};

type RequiredKeys = 'binPath' | 'hmmDir' | 'lmPath' | 'dictPath';

/**
 * Offline, streaming speech-to-text with CMU PocketSphinx (Debian's en-us model). Each stream
 * runs in a `parley-ps-stream` process of its own, so one call never waits on another's
 * decoding: forked by the worker's PocketSphinx server when there is one (it starts at once and
 * shares the loaded model), else started afresh.
 */
export class PocketSphinxSTT extends stt.STT {
  label = 'parley.PocketSphinxSTT';
  readonly options: PocketSphinxSTTOptions;
  /** Built on first use, then shared by every stream of this instance. */
  #biasLanguageModel?: string;

  constructor(opts: Pick<PocketSphinxSTTOptions, RequiredKeys> & Partial<PocketSphinxSTTOptions>) {
    super({ streaming: true, interimResults: true, alignedTranscript: false });
    this.options = { ...defaults, ...opts };
    const { biasWeight, vadPostspeechFrames, partialIntervalMs } = this.options;
    if (!(biasWeight > 0 && biasWeight < 1)) throw new RangeError('biasWeight must be in (0, 1)');
    if (!Number.isInteger(vadPostspeechFrames) || vadPostspeechFrames < 1) {
      throw new RangeError('vadPostspeechFrames must be a positive integer');
    }
    if (!(partialIntervalMs > 0)) throw new RangeError('partialIntervalMs must be positive');
  }

  override get model(): string {
    return 'pocketsphinx-en-us';
  }

  override get provider(): string {
    return 'pocketsphinx';
  }

  /** Options for one shim process. */
  processOptions(): PocketSphinxProcessOptions {
    if (this.#biasLanguageModel === undefined && this.options.biasPhrases.length > 0) {
      this.#biasLanguageModel = buildBiasLanguageModel([
        ...this.options.biasPhrases,
        ...CONVERSATION_PHRASES,
      ]);
    }
    return {
      binPath: this.options.binPath,
      hmmDir: this.options.hmmDir,
      lmPath: this.options.lmPath,
      dictPath: this.options.dictPath,
      biasLanguageModel: this.#biasLanguageModel,
      biasWeight: this.options.biasWeight,
      vadPostspeechFrames: this.options.vadPostspeechFrames,
      partialIntervalMs: this.options.partialIntervalMs,
      serverSocket: this.options.serverSocket,
    };
  }

  protected async _recognize(buffer: AudioBuffer, abortSignal?: AbortSignal) {
    const frames = Array.isArray(buffer) ? buffer : [buffer];
    const proc = await startProcess(this.processOptions());
    const onAbort = () => proc.kill();
    abortSignal?.addEventListener('abort', onAbort, { once: true });
    try {
      const converter = new MonoConverter(POCKETSPHINX_SAMPLE_RATE);
      for (const frame of frames) proc.writeAudio(converter.convert(frame));
      proc.writeAudio(converter.flush());
      proc.quit();
      const texts: string[] = [];
      let startMs: number | undefined;
      let endMs = 0;
      for await (const event of proc.events()) {
        if (event.type === 'final' && event.speech) {
          if (event.text) texts.push(event.text);
          startMs ??= event.startMs;
          endMs = event.endMs;
        }
      }
      const text = texts.join(' ');
      return {
        type: stt.SpeechEventType.FINAL_TRANSCRIPT,
        alternatives: [this.speechData(text, (startMs ?? 0) / 1000, endMs / 1000)],
      } satisfies stt.SpeechEvent;
    } catch (error) {
      throw toApiError(error);
    } finally {
      abortSignal?.removeEventListener('abort', onAbort);
      proc.kill();
    }
  }

  /** @internal */
  speechData(text: string, startTime: number, endTime: number): stt.SpeechData {
    // PocketSphinx gives no calibrated confidence; 1 for words, 0 for nothing heard.
    return {
      language: asLanguageCode(this.options.language),
      text,
      startTime,
      endTime,
      confidence: text ? 1 : 0,
    };
  }

  stream(options?: { connOptions?: APIConnectOptions }): PocketSphinxSpeechStream {
    return new PocketSphinxSpeechStream(this, options?.connOptions);
  }
}

export class PocketSphinxSpeechStream extends stt.SpeechStream {
  label = 'parley.PocketSphinxSpeechStream';
  readonly #stt: PocketSphinxSTT;
  #logger = log().child({ stt: 'pocketsphinx' });
  #utterance = 0;

  constructor(sttInstance: PocketSphinxSTT, connOptions?: APIConnectOptions) {
    // The base class resamples pushed frames to this rate.
    super(sttInstance, POCKETSPHINX_SAMPLE_RATE, connOptions);
    this.#stt = sttInstance;
  }

  protected async run(): Promise<void> {
    const proc = await startProcess(this.#stt.processOptions());
    this.#logger.info(
      {
        pid: proc.pid,
        served: proc.served,
        loadMs: proc.loadMs,
        startupMs: Math.round(proc.startupMs),
      },
      proc.served ? 'PocketSphinx stream forked by the server' : 'PocketSphinx model loaded',
    );
    // Stops the writer without losing a frame, so a retried run() reads on where this one stopped.
    const stopWriting = new AbortController();
    const onAbort = () => proc.kill();
    this.abortSignal.addEventListener('abort', onAbort, { once: true });

    const write = async () => {
      const converter = new MonoConverter(POCKETSPHINX_SAMPLE_RATE);
      try {
        for (;;) {
          const next = await this.input.next({ signal: stopWriting.signal });
          if (next.done) break;
          if (next.value === stt.SpeechStream.FLUSH_SENTINEL) {
            proc.flush();
          } else {
            proc.writeAudio(converter.convert(next.value));
          }
        }
        proc.quit();
      } catch (error) {
        if (!stopWriting.signal.aborted) throw error;
      }
    };
    const read = async () => {
      try {
        for await (const event of proc.events()) this.#handle(event);
      } finally {
        stopWriting.abort();
      }
    };

    try {
      await Promise.all([write(), read()]);
    } catch (error) {
      if (this.abortSignal.aborted) return;
      throw toApiError(error);
    } finally {
      this.abortSignal.removeEventListener('abort', onAbort);
      stopWriting.abort();
      proc.kill();
    }
  }

  #handle(event: ShimEvent): void {
    if (this.queue.closed) return;
    const requestId = `ps-${this.#utterance}`;
    const seconds = (ms: number) => ms / 1000 + this.startTimeOffset;
    switch (event.type) {
      case 'start':
        this.queue.put({ type: stt.SpeechEventType.START_OF_SPEECH, requestId });
        break;
      case 'partial':
        this.queue.put({
          type: stt.SpeechEventType.INTERIM_TRANSCRIPT,
          requestId,
          alternatives: [this.#stt.speechData(event.text, 0, 0)],
        });
        break;
      case 'final': {
        if (!event.speech) break; // a flush with nothing said: no utterance was opened
        // Which stretch of the stream each utterance covered: a caller misheard under load shows
        // here whether their words reached the recogniser whole.
        this.#logger.info(
          {
            utterance: this.#utterance,
            startMs: event.startMs,
            endMs: event.endMs,
            'lk.pii.text': event.text,
          },
          'PocketSphinx utterance',
        );
        const data = this.#stt.speechData(event.text, seconds(event.startMs), seconds(event.endMs));
        if (event.text) {
          this.queue.put({
            type: stt.SpeechEventType.FINAL_TRANSCRIPT,
            requestId,
            alternatives: [data],
          });
        }
        this.queue.put({
          type: stt.SpeechEventType.END_OF_SPEECH,
          requestId,
          alternatives: [data],
        });
        this.queue.put({
          type: stt.SpeechEventType.RECOGNITION_USAGE,
          requestId,
          recognitionUsage: { audioDuration: (event.endMs - event.startMs) / 1000 },
        });
        this.#utterance += 1;
        break;
      }
      case 'ready':
      case 'error':
        break; // 'ready' is consumed by start(); errors are thrown by events()
    }
  }
}

async function startProcess(opts: PocketSphinxProcessOptions): Promise<PocketSphinxProcess> {
  try {
    return await PocketSphinxProcess.start(opts);
  } catch (error) {
    throw toApiError(error);
  }
}

/** Maps shim failures onto the framework's errors: a crash mid-stream is worth a retry. */
function toApiError(error: unknown): unknown {
  if (error instanceof APIError || !(error instanceof PocketSphinxError)) return error;
  if (error.code === 'exited') {
    return new APIConnectionError({ message: error.message, options: { retryable: true } });
  }
  return new APIError(error.message, { retryable: false });
}

/**
 * Turns frames of any rate and channel count into 16 kHz mono samples. The stream's base
 * class already resamples mono input; this also covers `recognize()` and multi-channel frames.
 */
export class MonoConverter {
  #resampler?: AudioResampler;
  readonly #rate: number;

  constructor(rate: number) {
    this.#rate = rate;
  }

  convert(frame: AudioFrame): Int16Array {
    const mono = downmix(frame);
    if (mono.sampleRate === this.#rate) return mono.data;
    if (this.#resampler && this.#resampler.inputRate !== mono.sampleRate) this.#drop();
    this.#resampler ??= new AudioResampler(mono.sampleRate, this.#rate);
    return concat(this.#resampler.push(mono));
  }

  flush(): Int16Array {
    const rest = this.#resampler ? concat(this.#resampler.flush()) : new Int16Array(0);
    this.#drop();
    return rest;
  }

  #drop(): void {
    this.#resampler?.close();
    this.#resampler = undefined;
  }
}

function downmix(frame: AudioFrame): AudioFrame {
  if (frame.channels === 1) return frame;
  const mono = new Int16Array(frame.samplesPerChannel);
  for (let i = 0; i < frame.samplesPerChannel; i++) {
    let sum = 0;
    for (let c = 0; c < frame.channels; c++) sum += frame.data[i * frame.channels + c] ?? 0;
    mono[i] = Math.round(sum / frame.channels);
  }
  return new AudioFrame(mono, frame.sampleRate, 1, frame.samplesPerChannel);
}

function concat(frames: AudioFrame[]): Int16Array {
  const out = new Int16Array(frames.reduce((n, f) => n + f.data.length, 0));
  let offset = 0;
  for (const f of frames) {
    out.set(f.data, offset);
    offset += f.data.length;
  }
  return out;
}
