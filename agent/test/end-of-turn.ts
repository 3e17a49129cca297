/**
 * Test support: the end of a caller's turn as the offline stack judges it. A caller's utterance
 * is spoken with Flite, transcribed by the real PocketSphinx recogniser and heard by LiveKit's
 * real local end-of-turn model, run in this process instead of the job's inference process.
 */
import { asLanguageCode } from '@livekit/agents';
import { AudioFrame } from '@livekit/rtc-node';
import { PersonaSchema } from '@parley/contracts';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { FliteTTS } from '../src/providers/flite-tts.js';
import type { PocketSphinxSTT } from '../src/providers/pocketsphinx-stt.js';
import type {
  TranscriptAwareTurnDetector,
  TranscriptAwareTurnStream,
} from '../src/turn/transcript-aware-turn-detector.js';

/** Questions and answers a caller of a small business ends a turn with. */
export const COMPLETE_UTTERANCES = [
  'What are your opening hours?',
  'When are you open?',
  'Are you open on Sunday?',
  'Do you offer free shipping?',
  'Where are you located?',
  'How much does a haircut cost?',
  'Can I book an appointment for tomorrow?',
  'I would like to book an appointment.',
  'Do you take credit cards?',
  'Is there parking nearby?',
  'I want to speak to a person.',
  'Can you tell me about your prices?',
  'How can I return an item?',
  'Yes.',
  'No thanks.',
  "That's all.",
  'Thank you, goodbye.',
];

/** Where a caller might stop to think in the middle of a sentence. */
export const UNFINISHED_UTTERANCES = [
  'What are your',
  'I would like to book an',
  'Can you tell me about the',
  'I would like to book an appointment for',
  'Do you have any',
  'I was wondering if',
  'How much does it cost to',
  'Where is your',
  'I need to cancel my',
  'Could you tell me the',
  'I would like',
];

/** A small shop's persona: the recogniser is biased towards its questions, as in a call. */
export const SHOP_PERSONA = PersonaSchema.parse({
  id: 'shop',
  name: 'Shop',
  greeting: 'Hi!',
  instructions: '',
  knowledge: [
    { question: 'What are your opening hours?', answer: 'Nine to five.' },
    { question: 'Do you offer free shipping?', answer: 'Yes.' },
    { question: 'How can I return an item?', answer: 'Bring it back.' },
    { question: 'Where are you located?', answer: 'On Main Street.' },
    { question: 'How do I contact a human?', answer: 'Ask for one.' },
  ],
});

/** The silence after speech when the framework asks the model: silero's first 200 ms. */
export const SILENCE_BEFORE_PREDICTION_MS = 200;

/**
 * 16 kHz, the rate both the recogniser and the model take and Flite's `slt` speaks: LiveKit's
 * resampler dithers, so resampled speech would differ slightly from run to run.
 */
const RATE = 16_000;

/** Speech as a caller's microphone delivers it: Flite's voice, in 10 ms frames. */
export async function speakAsCaller(text: string): Promise<AudioFrame[]> {
  const voice = await new FliteTTS({ voice: 'slt' }).synthesize(text).collect();
  assert.equal(voice.sampleRate, RATE);
  const frames: AudioFrame[] = [];
  for (let i = 0; i < voice.data.length; i += RATE / 100) {
    const data = voice.data.slice(i, i + RATE / 100);
    frames.push(new AudioFrame(data, RATE, 1, data.length));
  }
  return frames;
}

export function silence(ms: number): AudioFrame[] {
  const samples = RATE / 100;
  return Array.from({ length: ms / 10 }, () => {
    return new AudioFrame(new Int16Array(samples), RATE, 1, samples);
  });
}

/** What PocketSphinx makes of the utterance, a pause after it included. */
export async function transcribe(stt: PocketSphinxSTT, speech: AudioFrame[]): Promise<string> {
  const event = await stt.recognize([...silence(300), ...speech, ...silence(600)]);
  return event.alternatives?.[0]?.text ?? '';
}

interface LocalInference {
  predict(pcm: Int16Array): Promise<number>;
}

/**
 * Runs LiveKit's end-of-turn model (`@livekit/local-inference`, a dependency of
 * `@livekit/agents`) in this process, as the job's inference process does for
 * `lk_eot_audio`. Keeps the audio window of each request.
 */
export class InProcessEndOfTurnModel {
  readonly windows: Int16Array[] = [];
  readonly #model: LocalInference;

  constructor() {
    const agents = createRequire(import.meta.url).resolve('@livekit/agents');
    this.#model = createRequire(agents)('@livekit/local-inference') as LocalInference;
  }

  async doInference(method: string, data: unknown): Promise<unknown> {
    assert.equal(method, 'lk_eot_audio');
    const bytes = Buffer.from((data as { pcm: string }).pcm, 'base64');
    const window = new Int16Array(new Uint8Array(bytes).buffer);
    this.windows.push(window);
    return { probability: await this.#model.predict(window), inferenceDurationMs: 0 };
  }
}

export interface TurnJudgement {
  /** The model's end-of-turn probability. */
  probability: number;
  /** The threshold below which the turn waits, with the transcript heard. */
  threshold: number;
}

/**
 * Asks the detector about a turn the way the framework does (`audio_recognition.ts`): the
 * caller's audio goes into a detector stream, a prediction is requested once the caller has
 * been silent a moment, and once the final transcript is in the threshold is read.
 */
export async function judgeTurn(
  detector: TranscriptAwareTurnDetector,
  model: InProcessEndOfTurnModel,
  speech: AudioFrame[],
  transcript: string,
): Promise<TurnJudgement> {
  const stream = detector.stream();
  try {
    const probability = await predictEndOfTurn(stream, model, speech);
    detector.hearTranscript(transcript);
    return { probability, threshold: await thresholdOf(stream) };
  } finally {
    await stream.aclose();
  }
}

/** Pushes the speech and the silence after it, then asks the model as the framework does. */
export async function predictEndOfTurn(
  stream: TranscriptAwareTurnStream,
  model: InProcessEndOfTurnModel,
  speech: AudioFrame[],
): Promise<number> {
  for (const frame of [...speech, ...silence(SILENCE_BEFORE_PREDICTION_MS)]) {
    stream.pushAudio(frame);
  }
  // The stream hands frames to the model's buffer in a task of its own, on promises only.
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
  const { endOfTurnProbability } = await stream.predict().await;
  assertSpeechThenSilence(model.windows.at(-1));
  return endOfTurnProbability;
}

/** The threshold the framework reads for an English-speaking caller. */
export async function thresholdOf(stream: TranscriptAwareTurnStream): Promise<number> {
  const threshold = await stream.unlikelyThreshold(asLanguageCode('en-US'));
  assert.ok(threshold !== undefined);
  return threshold;
}

/** The model saw the end of the speech and the silence after it, not a half-filled window. */
function assertSpeechThenSilence(window: Int16Array | undefined): void {
  assert.ok(window, 'the model was asked');
  const tail = Math.round((SILENCE_BEFORE_PREDICTION_MS - 20) * 16);
  const loud = (samples: Int16Array) => samples.some((s) => Math.abs(s) > 300);
  assert.ok(!loud(window.subarray(window.length - tail)), 'the window ends in silence');
  assert.ok(loud(window.subarray(0, window.length - tail)), 'the window holds the speech');
}

/** How long the framework waits after the caller stops: `audio_recognition.ts`'s rule. */
export function endpointingWait(
  judgement: TurnJudgement,
  endpointing: { minDelay: number; maxDelay: number },
): number {
  return judgement.probability < judgement.threshold ? endpointing.maxDelay : endpointing.minDelay;
}
