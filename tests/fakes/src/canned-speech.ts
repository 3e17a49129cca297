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
/** ... and their normalized contours, time-warped, differ by at most this much per step. */
const MAX_DISTANCE = 0.08;
/** How far the warping may stray from the diagonal: this share of the longer contour ... */
const BAND = 0.2;
/** ... and at least this many frames. */
const MIN_BAND = 8;

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

/** A contour as deviations from its own mean, in its own standard deviations (gain drops out). */
function normalized(contour: number[]): number[] {
  const mean = contour.reduce((sum, x) => sum + x, 0) / contour.length;
  const variance = contour.reduce((sum, x) => sum + (x - mean) ** 2, 0) / contour.length;
  const std = Math.max(1, Math.sqrt(variance));
  return contour.map((x) => (x - mean) / std);
}

/**
 * How far apart two normalized contours are after the best time warping (dynamic time warping
 * within a band): the mean difference per step of the cheapest path. A jitter buffer stretches
 * or squeezes stretches of a call's audio when packets come late or in bursts; warping forgives
 * that, while a different phrase, or a cut or split one, still differs.
 */
function warpedDistance(a: number[], b: number[]): number {
  const n = a.length;
  const m = b.length;
  const band = Math.max(MIN_BAND, Math.ceil(BAND * Math.max(n, m)));
  let previous = new Float64Array(m + 1).fill(Infinity);
  let current = new Float64Array(m + 1);
  previous[0] = 0;
  for (let i = 1; i <= n; i++) {
    current.fill(Infinity);
    const centre = (i * m) / n;
    const from = Math.max(1, Math.floor(centre - band));
    const to = Math.min(m, Math.ceil(centre + band));
    for (let j = from; j <= to; j++) {
      const step = Math.abs((a[i - 1] as number) - (b[j - 1] as number));
      current[j] =
        step + Math.min(previous[j] as number, current[j - 1] as number, previous[j - 1] as number);
    }
    [previous, current] = [current, previous];
  }
  return (previous[m] as number) / (n + m);
}

/** The phrases a capacity run speaks; hands out recognisers that know them. */
export class CannedSpeech {
  readonly #phrases: { text: string; contour: number[]; normalized: number[] }[] = [];

  constructor(phrases: readonly CannedPhrase[] = []) {
    this.learn(phrases);
  }

  /** Adds phrases (a run may know its questions only once the stack, and the fakes, are up). */
  learn(phrases: readonly CannedPhrase[]): void {
    for (const p of phrases) {
      const contour = contourOf(resamplePcm(p.samples, p.sampleRate, POCKETSPHINX_SAMPLE_RATE));
      if (contour.length === 0)
        throw new Error(`canned phrase "${p.text}" has no speech in its audio`);
      this.#phrases.push({ text: p.text, contour, normalized: normalized(contour) });
    }
  }

  /** The phrase this contour is, or '' when none is close enough. */
  match(contour: number[]): string {
    return this.nearest(contour).text;
  }

  /** The closest phrase of a similar length and its distance; text '' when none is close enough. */
  nearest(contour: number[]): { text: string; distance: number } {
    let best = { text: '', distance: Infinity };
    const heard = normalized(contour);
    for (const phrase of this.#phrases) {
      const ratio = contour.length / phrase.contour.length;
      if (!(ratio < MAX_LENGTH_RATIO && ratio > 1 / MAX_LENGTH_RATIO)) continue;
      const distance = warpedDistance(heard, phrase.normalized);
      if (distance < best.distance) best = { text: phrase.text, distance };
    }
    return best.distance <= MAX_DISTANCE ? best : { text: '', distance: best.distance };
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
