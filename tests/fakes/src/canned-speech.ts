/**
 * The Deepgram fake's cheap mode, for capacity runs: instead of transcribing with PocketSphinx
 * it knows the phrases the load generator speaks (their audio) and, for each utterance it hears,
 * answers with the phrase whose loudness contour matches best, or with nothing when none is
 * close. It still hears for real (an utterance is found by its energy, and a cut, doubled or
 * distorted one does not match), but costs microseconds a frame instead of a recogniser
 * process per stream, so a capacity figure is Parley's own and not the fake's.
 */
import type { ShimEvent } from '@parley/agent';
import { POCKETSPHINX_SAMPLE_RATE } from '@parley/agent';
import { resamplePcm } from './speech.js';

/** What the Deepgram fake's stream sessions read transcripts from (PocketSphinx or canned). */
export interface StreamRecogniser {
  /** 16 kHz mono samples. */
  writeAudio(samples: Int16Array): void;
  /** Ends the current utterance now; exactly one `final` event answers. */
  flush(): void;
  /** Reports what is in progress; events end after that. */
  quit(): void;
  kill(): void;
  events(): AsyncGenerator<ShimEvent>;
}

export interface CannedPhrase {
  text: string;
  /** Mono 16-bit PCM of the phrase as the load generator speaks it. */
  samples: Int16Array;
  sampleRate: number;
}

const FRAME = POCKETSPHINX_SAMPLE_RATE / 100; // 10 ms
/** A 10 ms frame at least this loud (RMS of 16-bit samples, about −36 dBFS) is speech. */
const SPEECH_RMS = 500;
/** Consecutive loud frames that open an utterance (a click is not speech). */
const START_FRAMES = 3;
/** Quiet frames that end one: 300 ms, as the PocketSphinx-backed mode. */
const END_FRAMES = 30;
/** Loudness floor of a contour, in dB of 16-bit RMS; quieter frames count as this. */
const FLOOR_DB = 30;
/** A heard contour matches a phrase only if their lengths differ by less than this factor. */
const MAX_LENGTH_RATIO = 1.3;
/** ... and their contours correlate at least this well (Pearson, best alignment). */
const MIN_CORRELATION = 0.6;
/** Alignments tried, in frames either way. */
const MAX_LAG = 8;

function frameDb(samples: Int16Array, from: number): number {
  let sum = 0;
  for (let i = from; i < from + FRAME; i++) sum += (samples[i] ?? 0) ** 2;
  const rms = Math.sqrt(sum / FRAME);
  return Math.max(FLOOR_DB, 20 * Math.log10(rms || 1));
}

const SPEECH_DB = 20 * Math.log10(SPEECH_RMS);

/** Speech segments by energy: per 10 ms frame, whether it is speech, with its loudness. */
class EnergyDetector {
  #pending = new Int16Array(0);
  #loudRun = 0;
  #quietRun = 0;
  #frames = 0;
  /** The contour of the utterance in progress, up to its last loud frame. */
  #contour: number[] = [];
  #tail: number[] = [];
  #startFrame = -1;

  get inSpeech(): boolean {
    return this.#startFrame >= 0;
  }

  get ms(): number {
    return this.#frames * 10;
  }

  get startMs(): number {
    return this.#startFrame * 10;
  }

  /** Feeds samples; calls `onStart` when an utterance opens and `onEnd` when silence ends it. */
  push(samples: Int16Array, onStart: () => void, onEnd: (heard: Heard) => void): void {
    const all = new Int16Array(this.#pending.length + samples.length);
    all.set(this.#pending);
    all.set(samples, this.#pending.length);
    let at = 0;
    for (; at + FRAME <= all.length; at += FRAME) {
      const db = frameDb(all, at);
      this.#frames += 1;
      const loud = db >= SPEECH_DB;
      if (!this.inSpeech) {
        this.#loudRun = loud ? this.#loudRun + 1 : 0;
        this.#tail.push(db);
        if (this.#tail.length > START_FRAMES) this.#tail.shift();
        if (this.#loudRun >= START_FRAMES) {
          this.#startFrame = this.#frames - START_FRAMES;
          this.#contour = [...this.#tail];
          this.#tail = [];
          this.#quietRun = 0;
          onStart();
        }
        continue;
      }
      if (loud) {
        this.#contour.push(...this.#tail, db);
        this.#tail = [];
        this.#quietRun = 0;
      } else {
        this.#tail.push(db);
        this.#quietRun += 1;
        if (this.#quietRun >= END_FRAMES) onEnd(this.end());
      }
    }
    this.#pending = all.slice(at);
  }

  /** Ends the utterance in progress (if any) and returns what was heard of it. */
  end(): Heard {
    const startMs = Math.max(0, this.#startFrame) * 10;
    const heard = { contour: this.#contour, startMs, endMs: startMs + this.#contour.length * 10 };
    this.#contour = [];
    this.#tail = [];
    this.#loudRun = 0;
    this.#quietRun = 0;
    this.#startFrame = -1;
    return heard;
  }
}

/** One utterance: its loudness contour (10 ms frames, up to its last loud one) and when. */
interface Heard {
  contour: number[];
  startMs: number;
  endMs: number;
}

/** The loudness contour of a whole phrase, as the detector would see it. */
function contourOf(samples: Int16Array): number[] {
  const detector = new EnergyDetector();
  const found: number[][] = [];
  detector.push(
    samples,
    () => undefined,
    (heard) => found.push(heard.contour),
  );
  if (detector.inSpeech) found.push(detector.end().contour);
  // A phrase with a long pause is several utterances: its contour is all of them, pause included.
  if (found.length <= 1) return found[0] ?? [];
  const db = Array.from({ length: Math.floor(samples.length / FRAME) }, (_, i) =>
    frameDb(samples, i * FRAME),
  );
  const first = db.findIndex((d) => d >= SPEECH_DB);
  let last = db.length - 1;
  while (last > first && (db[last] as number) < SPEECH_DB) last--;
  return db.slice(first, last + 1);
}

function correlation(a: number[], b: number[], lag: number): number {
  const pairs: [number, number][] = [];
  const n = Math.max(a.length, b.length + lag);
  for (let i = Math.min(0, lag); i < n; i++) {
    pairs.push([a[i] ?? FLOOR_DB, b[i - lag] ?? FLOOR_DB]);
  }
  const mean = (k: 0 | 1) => pairs.reduce((s, p) => s + p[k], 0) / pairs.length;
  const [ma, mb] = [mean(0), mean(1)];
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (const [x, y] of pairs) {
    ab += (x - ma) * (y - mb);
    aa += (x - ma) ** 2;
    bb += (y - mb) ** 2;
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}

/** The phrases a capacity run speaks; hands out recognisers that know them. */
export class CannedSpeech {
  readonly #phrases: { text: string; contour: number[] }[] = [];

  constructor(phrases: readonly CannedPhrase[] = []) {
    this.learn(phrases);
  }

  /** Adds phrases (a run may know its questions only once the stack, and the fakes, are up). */
  learn(phrases: readonly CannedPhrase[]): void {
    for (const p of phrases) {
      const contour = contourOf(resamplePcm(p.samples, p.sampleRate, POCKETSPHINX_SAMPLE_RATE));
      if (contour.length === 0)
        throw new Error(`canned phrase "${p.text}" has no speech in its audio`);
      this.#phrases.push({ text: p.text, contour });
    }
  }

  /** The phrase this contour is, or '' when none is close enough. */
  match(contour: number[]): string {
    let best = { text: '', score: MIN_CORRELATION };
    for (const phrase of this.#phrases) {
      const ratio = contour.length / phrase.contour.length;
      if (!(ratio < MAX_LENGTH_RATIO && ratio > 1 / MAX_LENGTH_RATIO)) continue;
      for (let lag = -MAX_LAG; lag <= MAX_LAG; lag++) {
        const score = correlation(contour, phrase.contour, lag);
        if (score > best.score) best = { text: phrase.text, score };
      }
    }
    return best.text;
  }

  recogniser(): StreamRecogniser {
    return new CannedRecogniser(this);
  }
}

/** A {@link StreamRecogniser} with PocketSphinx's events, from {@link CannedSpeech}. */
class CannedRecogniser implements StreamRecogniser {
  readonly #speech: CannedSpeech;
  readonly #detector = new EnergyDetector();
  readonly #queue: ShimEvent[] = [];
  #wake?: () => void;
  #done = false;

  constructor(speech: CannedSpeech) {
    this.#speech = speech;
  }

  writeAudio(samples: Int16Array): void {
    if (this.#done) return;
    this.#detector.push(
      samples,
      () => this.#emit({ type: 'start', atMs: this.#detector.startMs }),
      (heard) => this.#final(heard, 'silence'),
    );
  }

  flush(): void {
    if (this.#done) return;
    const now = this.#detector.ms;
    const nothing = { contour: [], startMs: now, endMs: now };
    this.#final(this.#detector.inSpeech ? this.#detector.end() : nothing, 'flush');
  }

  quit(): void {
    if (this.#done) return;
    if (this.#detector.inSpeech) this.#final(this.#detector.end(), 'quit');
    this.kill();
  }

  kill(): void {
    this.#done = true;
    this.#wake?.();
  }

  async *events(): AsyncGenerator<ShimEvent> {
    for (;;) {
      const next = this.#queue.shift();
      if (next) {
        yield next;
        continue;
      }
      if (this.#done) return;
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }

  #final(heard: Heard, reason: 'silence' | 'flush' | 'quit'): void {
    const speech = heard.contour.length > 0;
    this.#emit({
      type: 'final',
      text: speech ? this.#speech.match(heard.contour) : '',
      reason,
      speech,
      startMs: heard.startMs,
      endMs: heard.endMs,
    });
  }

  #emit(event: ShimEvent): void {
    this.#queue.push(event);
    this.#wake?.();
  }
}
