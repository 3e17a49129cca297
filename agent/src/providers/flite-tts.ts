import { APIError } from '@livekit/agents';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SentenceTTS, type SentenceTTSOptions } from './sentence-tts.js';

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

export interface FliteTTSOptions extends SentenceTTSOptions {
  /** The `flite` executable. */
  binPath: string;
  voice: FliteVoice;
}

const defaults: FliteTTSOptions = {
  binPath: 'flite',
  voice: 'slt',
  frameMs: 50,
  minSentenceLength: 20,
};

/** Offline text-to-speech with CMU Flite: one `flite` process per sentence. */
export class FliteTTS extends SentenceTTS {
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

  protected renderWav(text: string, signal: AbortSignal): Promise<Buffer | undefined> {
    return runFlite(this.options.binPath, this.options.voice, text, signal);
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
