/**
 * The JSON messages of Deepgram's live transcription API (`/v1/listen`), as the fake sends
 * them. Field names and shapes follow Deepgram's documented responses; the values come from
 * PocketSphinx, which gives no per-word timing or calibrated confidence, so words are spread
 * evenly over their utterance and confidence is a constant.
 */
import { splitWords } from '@parley/agent';

export const FAKE_CONFIDENCE = 0.9;
const QUESTION_STARTS = new Set([
  'what',
  'when',
  'where',
  'who',
  'why',
  'how',
  'which',
  'do',
  'does',
  'did',
  'is',
  'are',
  'can',
  'could',
  'will',
  'would',
  'should',
  'may',
]);

export interface DeepgramWord {
  word: string;
  start: number;
  end: number;
  confidence: number;
  punctuated_word: string;
}

export interface ModelInfo {
  name: string;
  version: string;
  arch: string;
}

export function modelInfo(model: string): ModelInfo {
  return { name: `general-${model}`, version: '2025-01-01.0', arch: model };
}

/** Words of an utterance, evenly timed between `startSec` and `endSec`, punctuated if asked. */
export function timedWords(
  text: string,
  startSec: number,
  endSec: number,
  punctuate: boolean,
): DeepgramWord[] {
  const words = splitWords(text);
  const letters = words.reduce((n, w) => n + w.length, 0) || 1;
  const span = Math.max(endSec - startSec, 0);
  let at = startSec;
  return words.map((word, i) => {
    const start = at;
    at += (span * word.length) / letters;
    let punctuated = word === 'i' || word.startsWith("i'") ? `I${word.slice(1)}` : word;
    if (punctuate && i === 0) punctuated = punctuated[0]?.toUpperCase() + punctuated.slice(1);
    if (punctuate && i === words.length - 1) {
      punctuated += QUESTION_STARTS.has(words[0] ?? '') ? '?' : '.';
    }
    return {
      word,
      start: round(start),
      end: round(at),
      confidence: FAKE_CONFIDENCE,
      punctuated_word: punctuated,
    };
  });
}

export interface ResultsOptions {
  requestId: string;
  model: string;
  words: DeepgramWord[];
  punctuate: boolean;
  /** Start and length of the audio window this result covers, in seconds. */
  start: number;
  duration: number;
  isFinal: boolean;
  speechFinal: boolean;
  fromFinalize: boolean;
}

export function resultsMessage(o: ResultsOptions) {
  const transcript = o.words.map((w) => (o.punctuate ? w.punctuated_word : w.word)).join(' ');
  return {
    type: 'Results',
    channel_index: [0, 1],
    duration: round(o.duration),
    start: round(o.start),
    is_final: o.isFinal,
    speech_final: o.speechFinal,
    from_finalize: o.fromFinalize,
    channel: {
      alternatives: [
        { transcript, confidence: o.words.length ? FAKE_CONFIDENCE : 0, words: o.words },
      ],
    },
    metadata: {
      request_id: o.requestId,
      model_info: modelInfo(o.model),
      model_uuid: MODEL_UUID,
    },
  };
}

export const MODEL_UUID = '00000000-0000-4000-8000-00000000fa6e';

export function speechStartedMessage(timestampSec: number) {
  return { type: 'SpeechStarted', channel: [0], timestamp: round(timestampSec) };
}

export function utteranceEndMessage(lastWordEndSec: number) {
  return { type: 'UtteranceEnd', channel: [0, 1], last_word_end: round(lastWordEndSec) };
}

export function metadataMessage(
  requestId: string,
  model: string,
  durationSec: number,
  channels: number,
) {
  return {
    type: 'Metadata',
    transaction_key: 'deprecated',
    request_id: requestId,
    sha256: '0'.repeat(64),
    created: new Date().toISOString(),
    duration: round(durationSec),
    channels,
    models: [MODEL_UUID],
    model_info: { [MODEL_UUID]: modelInfo(model) },
  };
}

/** The answer of the pre-recorded endpoint (`POST /v1/listen`). */
export function prerecordedResponse(
  requestId: string,
  model: string,
  durationSec: number,
  words: DeepgramWord[],
  punctuate: boolean,
) {
  const transcript = words.map((w) => (punctuate ? w.punctuated_word : w.word)).join(' ');
  return {
    metadata: {
      transaction_key: 'deprecated',
      request_id: requestId,
      sha256: '0'.repeat(64),
      created: new Date().toISOString(),
      duration: round(durationSec),
      channels: 1,
      models: [MODEL_UUID],
      model_info: { [MODEL_UUID]: modelInfo(model) },
    },
    results: {
      channels: [
        {
          alternatives: [{ transcript, confidence: words.length ? FAKE_CONFIDENCE : 0, words }],
        },
      ],
    },
  };
}

const round = (seconds: number) => Math.round(seconds * 1000) / 1000;
