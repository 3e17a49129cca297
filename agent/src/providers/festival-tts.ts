import { APIError } from '@livekit/agents';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { SentenceTTS, type SentenceTTSOptions } from './sentence-tts.js';

/**
 * Festival voices from Debian's `festvox-*` packages: the Scheme command that selects each one
 * and the rate it speaks at.
 */
export const FESTIVAL_VOICES = {
  /** `festvox-us-slt-hts`: the CMU ARCTIC SLT speaker as an HTS (statistical) voice. */
  'slt-hts': { select: 'voice_cmu_us_slt_arctic_hts', sampleRate: 32_000 },
  /** `festvox-kallpc16k`: American English male, diphones. */
  kal: { select: 'voice_kal_diphone', sampleRate: 16_000 },
  /** `festvox-kdlpc16k`: American English male, diphones. */
  ked: { select: 'voice_ked_diphone', sampleRate: 16_000 },
} as const;
export type FestivalVoice = keyof typeof FESTIVAL_VOICES;

export function isFestivalVoice(voice: string): voice is FestivalVoice {
  return Object.hasOwn(FESTIVAL_VOICES, voice);
}

export interface FestivalTTSOptions extends SentenceTTSOptions {
  /** The `festival` executable. */
  binPath: string;
  voice: FestivalVoice;
  /**
   * Lisp heap of the festival process, in cells. Its default (10 M cells) is 320 MB resident per
   * call; 1 M cells (60 MB) is far more than a sentence needs.
   */
  heapCells: number;
}

const defaults: FestivalTTSOptions = {
  binPath: 'festival',
  voice: 'slt-hts',
  heapCells: 1_000_000,
  frameMs: 50,
  minSentenceLength: 20,
};

/**
 * Offline text-to-speech with the Festival Speech Synthesis System. One festival process per
 * engine, started on first use (or by `prewarm()`) with its voice loaded, renders one sentence
 * after another, so a sentence costs its synthesis and not festival's start-up.
 */
export class FestivalTTS extends SentenceTTS {
  label = 'parley.FestivalTTS';
  readonly options: FestivalTTSOptions;
  #festival: FestivalProcess | undefined;

  constructor(opts: Partial<FestivalTTSOptions> = {}) {
    const options = { ...defaults, ...opts };
    if (!isFestivalVoice(options.voice))
      throw new RangeError(`unknown festival voice '${options.voice}'`);
    if (!(options.frameMs > 0)) throw new RangeError('frameMs must be positive');
    if (!(options.heapCells > 0)) throw new RangeError('heapCells must be positive');
    super(FESTIVAL_VOICES[options.voice].sampleRate, 1, { streaming: true });
    this.options = options;
  }

  override get model(): string {
    return `festival-${this.options.voice}`;
  }

  override get provider(): string {
    return 'festival';
  }

  /** Starts the festival process now, so that the first sentence does not wait for it. */
  prewarm(): void {
    this.#process();
  }

  protected renderWav(text: string, signal: AbortSignal): Promise<Buffer | undefined> {
    return this.#process().say(text, signal);
  }

  override async close(): Promise<void> {
    await this.#festival?.close();
    this.#festival = undefined;
  }

  #process(): FestivalProcess {
    if (!this.#festival || this.#festival.exited) {
      const { binPath, voice, heapCells } = this.options;
      this.#festival = new FestivalProcess(binPath, FESTIVAL_VOICES[voice].select, heapCells);
    }
    return this.#festival;
  }
}

/** What festival's read-eval-print loop prints after each request: the request is done. */
const END = '"parley:end"';
/** Printed by `parley_say` once the WAV is written. */
const SAID = '"parley:said"';

/**
 * A `festival -i` process driven through its read-eval-print loop. Each request is a
 * `(parley_say file text)` followed by a string literal that the loop echoes back: everything
 * the loop printed up to that echo belongs to the request, and errors (SIOD ERROR on stderr) end
 * up without the `parley:said` mark. Requests run one at a time, in order.
 */
class FestivalProcess {
  exited = false;
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #dir: Promise<string>;
  /** Resolvers of requests written to festival, in order; each ends at its END line. */
  readonly #waiting: { said: boolean; done: (said: boolean) => void }[] = [];
  #stderr: string[] = [];
  #retryable = false;
  #queue: Promise<unknown> = Promise.resolve();
  #next = 0;

  constructor(
    readonly binPath: string,
    selectVoice: string,
    heapCells: number,
  ) {
    this.#dir = mkdtemp(join(tmpdir(), 'parley-festival-'));
    this.#child = spawn(binPath, ['--heap', String(heapCells), '-i'], { stdio: 'pipe' });
    this.#child.stdin.on('error', () => undefined); // reported through 'exit' or 'error'
    createInterface({ input: this.#child.stdout }).on('line', (line) => {
      const request = this.#waiting[0];
      if (!request) return;
      if (line.endsWith(SAID)) request.said = true;
      else if (line.endsWith(END)) {
        this.#waiting.shift();
        request.done(request.said);
      }
    });
    createInterface({ input: this.#child.stderr }).on('line', (line) => {
      this.#stderr = [...this.#stderr.slice(-9), line];
    });
    const fail = (reason: string, retryable: boolean) => {
      this.exited = true;
      this.#retryable = retryable;
      this.#stderr.push(reason);
      for (const request of this.#waiting.splice(0)) request.done(false);
    };
    // A festival that cannot be started will not start on a retry; one that died is restarted.
    this.#child.once('error', (error) => fail(`cannot run ${binPath}: ${error.message}`, false));
    this.#child.once('exit', (code, signal) => fail(`festival exited (${signal ?? code})`, true));
    this.#child.stdin.write(
      `(${selectVoice})\n` +
        '(define (parley_say file text)' +
        ` (utt.save.wave (utt.synth (eval (list 'Utterance 'Text text))) file 'riff) ${SAID})\n`,
    );
  }

  /** The WAV festival renders for `text`, or undefined when `signal` stopped waiting for it. */
  say(text: string, signal: AbortSignal): Promise<Buffer | undefined> {
    const result = this.#queue.then(() => this.#say(text, signal));
    this.#queue = result.catch(() => undefined);
    return result;
  }

  async #say(text: string, signal: AbortSignal): Promise<Buffer | undefined> {
    if (signal.aborted) return undefined;
    if (this.exited) throw this.#error();
    const file = join(await this.#dir, `${this.#next++}.wav`);
    try {
      const said = await new Promise<boolean>((done) => {
        if (this.exited) return done(false); // it died while the file name was being made
        this.#waiting.push({ said: false, done });
        this.#child.stdin.write(
          `(parley_say ${schemeString(file)} ${schemeString(text)})\n${END}\n`,
        );
      });
      if (!said) throw this.#error();
      // Festival cannot be interrupted mid-sentence; a stopped request still waits for it, so
      // that the next one finds the process free, but its audio is dropped.
      return signal.aborted ? undefined : await readFile(file);
    } finally {
      await rm(file, { force: true });
    }
  }

  #error(): APIError {
    return new APIError(`festival failed: ${this.#stderr.join(' | ') || 'no output'}`, {
      retryable: this.#retryable,
    });
  }

  async close(): Promise<void> {
    if (!this.exited) {
      const exited = new Promise((resolve) => this.#child.once('exit', resolve));
      this.#child.kill();
      await exited;
    }
    await rm(await this.#dir, { recursive: true, force: true });
  }
}

/** `text` as a Scheme string literal, on one line. */
export function schemeString(text: string): string {
  return `"${text.replace(/[\\"]/g, '\\$&').replace(/\s+/g, ' ')}"`;
}
