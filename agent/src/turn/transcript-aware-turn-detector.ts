import { type APIConnectOptions, inference } from '@livekit/agents';
import { type TranscriptEnding, transcriptEnding } from './transcript-ending.js';

export interface TranscriptAwareTurnDetectorOptions {
  /**
   * Below this end-of-turn probability the turn waits for more when the words cannot tell;
   * unset, the model's own threshold for the language (0.36 for English).
   */
  unlikelyThreshold?: number;
  /**
   * The threshold when the transcript reads complete: only a turn the model finds clearly
   * unfinished waits. Never above `unlikelyThreshold`.
   */
  completeThreshold: number;
  /** Runs the model; by default the job's inference process, as for LiveKit's detector. */
  executor?: inference.TurnDetectorOptions['executor'];
}

const defaults = { completeThreshold: 0.1 };

/**
 * LiveKit's local end-of-turn model (`v1-mini`), told what the caller said. The model hears only
 * the last 1.2 s of audio, never the words, and a flat voice such as Flite's often sounds
 * unfinished to it, so the turn waits the full endpointing delay after a complete question. Here the transcript of the turn moves the model's threshold: ending on a
 * word that goes on ("…an appointment for") the turn always waits, reading complete only a turn
 * the model finds clearly unfinished waits, and otherwise the model decides alone.
 *
 * Only English transcripts are read; the session feeds them in with {@link hearTranscript}.
 */
export class TranscriptAwareTurnDetector extends inference.TurnDetector {
  readonly completeThreshold: number;
  /** What the caller said in the turn so far: the final transcripts since the last turn ended. */
  #turnText = '';

  constructor(opts: Partial<TranscriptAwareTurnDetectorOptions> = {}) {
    const { unlikelyThreshold, completeThreshold, executor } = { ...defaults, ...opts };
    for (const [name, value] of Object.entries({ unlikelyThreshold, completeThreshold })) {
      if (value !== undefined && !(value >= 0 && value <= 1)) {
        throw new RangeError(`${name} must be in [0, 1]`);
      }
    }
    super({ version: 'v1-mini', unlikelyThreshold, executor });
    this.completeThreshold = completeThreshold;
  }

  /** A final transcript of the caller's current turn. */
  hearTranscript(text: string): void {
    this.#turnText = `${this.#turnText} ${text}`.trim();
  }

  /** How the current turn's transcript ends. */
  get ending(): TranscriptEnding {
    return transcriptEnding(this.#turnText);
  }

  /** The turn ended (or was cleared): what comes next is a new turn. */
  forgetTurn(): void {
    this.#turnText = '';
  }

  /** The threshold for this turn, given the model's own for the language. */
  thresholdFor(language: string | undefined, modelThreshold: number | undefined) {
    if (modelThreshold === undefined || (language && !/^en\b/i.test(language))) {
      return modelThreshold;
    }
    switch (this.ending) {
      case 'unfinished':
        // Only a failed prediction (which the framework reports as 1) ends such a turn early.
        return 1;
      case 'complete':
        return Math.min(modelThreshold, this.completeThreshold);
      case 'unknown':
        return modelThreshold;
    }
  }

  override stream(_opts: { connOptions?: APIConnectOptions } = {}): TranscriptAwareTurnStream {
    const stream = new TranscriptAwareTurnStream({
      detector: this,
      opts: this._opts,
      cloudOpts: undefined,
      model: this._model,
      executor: this._executor,
    });
    this._streams.add(stream);
    return stream;
  }
}

type StreamArgs = ConstructorParameters<typeof inference.TurnDetectorStreamImpl>[0];
type Language = Parameters<inference.TurnDetectorStreamImpl['unlikelyThreshold']>[0];

/** LiveKit's local detector stream, with the threshold of its detector's current turn. */
export class TranscriptAwareTurnStream extends inference.TurnDetectorStreamImpl {
  readonly #detector: TranscriptAwareTurnDetector;

  constructor(args: StreamArgs & { detector: TranscriptAwareTurnDetector }) {
    super(args);
    this.#detector = args.detector;
  }

  // Read by the framework once the turn's transcript is in: when it decides how long to wait.
  override async unlikelyThreshold(language: Language) {
    return this.#detector.thresholdFor(language, await super.unlikelyThreshold(language));
  }

  // The framework flushes the stream when a turn is committed or cleared.
  override flush(reason?: string): void {
    super.flush(reason);
    this.#detector.forgetTurn();
  }
}
