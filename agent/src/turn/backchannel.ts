/**
 * Backchannels: what a listener says to show they are following ("mm-hm", "yeah", "okay", "I
 * see") while someone else talks. Said over the agent, they are not a turn: the agent should go
 * on. LiveKit Agents pauses the agent's audio as soon as the caller has spoken for
 * `minInterruptionDurationMs`, resumes it when no words follow, and stops it for good on the
 * first final transcript. A backchannel has words, so it would stop the agent: its final
 * transcript is kept from the framework while the agent holds the floor (see
 * {@link withoutBackchannels}), and the paused speech resumes as after any false interruption.
 *
 * The offline recogniser mishears them and hears a hum or a cough as some short word ("yeah,
 * okay" came out as "yet okay", a 400 ms cough as "if"). So acknowledgements with one other
 * word among them (three words at most) count, and so does a lone word from a short sound,
 * unless a word is one a caller says to take the floor ("stop", "wait", "no"…) or names a topic
 * of the persona's knowledge ("hours?", "refunds?"): a cough is not heard as those.
 */
import { stt, voice } from '@livekit/agents';
import { type ReadableStream, TransformStream } from 'node:stream/web';
import { terms } from '../knowledge/knowledge-matcher.js';
import { QUESTION_WORDS } from '../text/word-forms.js';

/** Words of acknowledgement and hesitation, alone or in a row ("yeah yeah", "oh okay"). */
const BACKCHANNEL_WORDS = new Set([
  'mm',
  'mmm',
  'mhm',
  'mmhm',
  'mmhmm',
  'mm-hm',
  'mm-hmm',
  'hm',
  'hmm',
  'uh',
  'um',
  'umm',
  'uh-huh',
  'uhhuh',
  'huh',
  'ah',
  'oh',
  'yeah',
  'yes',
  'yep',
  'yup',
  'okay',
  'ok',
  'right',
  'sure',
  'alright',
  'cool',
  'great',
  'nice',
  'wow',
]);

/** Backchannels of more than one word, matched whole. */
const BACKCHANNEL_PHRASES = ['uh huh', 'mm hm', 'mm hmm', 'i see', 'got it', 'all right'].map(
  (phrase) => new RegExp(`(?<= )${phrase}(?= )`, 'g'),
);

/** Words a caller says to take the floor: never a backchannel, however short. */
const FLOOR_WORDS = new Set([
  'stop',
  'wait',
  'no',
  'nope',
  'sorry',
  'hello',
  'hey',
  'excuse',
  'pardon',
  'what',
  'why',
  'how',
  'when',
  'where',
  'who',
  'which',
  'but',
  'actually',
  'hold',
  'hang',
  'cancel',
  'repeat',
  'again',
  'help',
  'agent',
  'human',
  'operator',
  'person',
  'question',
  'bye',
  'goodbye',
]);

/** A backchannel with a misheard word is this short at most. */
const MAX_WORDS = 3;

/** A lone word from a sound this short may be a hum or a cough the recogniser turned into a word. */
export const SHORT_SOUND_MS = 600;

function wordsOf(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}'\- ]+/gu, ' ')
    .split(/\s+/)
    .filter(Boolean);
}

/**
 * Tells the words that name a topic of `questions` (a persona's knowledge), in any form
 * ("refund" for "refunds"); stopwords and question words are no topic.
 */
export function topicsOf(questions: readonly string[]): (word: string) => boolean {
  const topics = new Set(questions.flatMap((q) => terms(q)).filter((t) => !QUESTION_WORDS.has(t)));
  return (word) => terms(word).some((t) => topics.has(t));
}

/**
 * Whether a caller's final transcript, said while the agent speaks, is a backchannel rather than a
 * turn. `soundMs` is how long the recogniser heard sound for it, when it says; `isTopic` tells
 * the words that name something the persona knows about, which take the floor like "wait".
 */
export function isBackchannel(
  text: string,
  soundMs?: number,
  isTopic: (word: string) => boolean = () => false,
): boolean {
  let words = ` ${wordsOf(text).join(' ')} `;
  if (!words.trim()) return true;
  for (const phrase of BACKCHANNEL_PHRASES) words = words.replace(phrase, 'mm');
  const tokens = words.trim().split(' ');
  const others = tokens.filter((word) => !BACKCHANNEL_WORDS.has(word));
  if (others.length === 0) return true;
  if (others.some((word) => FLOOR_WORDS.has(word) || isTopic(word))) return false;
  // One misheard word among acknowledgements ("yet okay" for "yeah, okay") is still one.
  if (tokens.length > 1 && tokens.length <= MAX_WORDS && others.length === 1) return true;
  // A lone word (not one that takes the floor, as checked above) from a short sound.
  return tokens.length === 1 && soundMs !== undefined && soundMs <= SHORT_SOUND_MS;
}

/**
 * Whether the agent holds the floor: a reply (or greeting) whose audio has started playing is
 * neither finished nor interrupted. A reply paused by the caller's voice still holds it; a reply
 * prepared while the caller is still talking (preemptive generation) does not yet.
 */
export class FloorWatch {
  readonly #session: voice.AgentSession;
  #playing: voice.SpeechHandle | undefined;
  readonly #onState = (ev: voice.AgentStateChangedEvent) => {
    // The speech the scheduler is playing; internal to the framework, read only here.
    if (ev.newState === 'speaking') this.#playing = this.#session._activity?.currentSpeech;
  };

  constructor(session: voice.AgentSession) {
    this.#session = session;
    session.on(voice.AgentSessionEventTypes.AgentStateChanged, this.#onState);
  }

  holdsFloor(): boolean {
    const playing = this.#playing;
    return playing !== undefined && !playing.done() && !playing.interrupted;
  }
}

const watches = new WeakMap<voice.AgentSession, FloorWatch>();

/** The session's floor watch, shared by every agent that takes part in the call (handoffs). */
export function floorWatchOf(session: voice.AgentSession): FloorWatch {
  let watch = watches.get(session);
  if (!watch) watches.set(session, (watch = new FloorWatch(session)));
  return watch;
}

/** What the recogniser heard, as its events reach the framework. */
export type RecognitionEvent = stt.SpeechEvent | string;

/**
 * The recogniser's events without the final transcripts of backchannels said while the agent
 * holds the floor. `onOverlap` hears each final said over the agent, and whether it was dropped.
 */
export function withoutBackchannels(
  events: ReadableStream<RecognitionEvent>,
  holdsFloor: () => boolean,
  onOverlap: (text: string, backchannel: boolean) => void = () => undefined,
  isTopic?: (word: string) => boolean,
): ReadableStream<RecognitionEvent> {
  return events.pipeThrough(
    new TransformStream<RecognitionEvent, RecognitionEvent>({
      transform(event, controller) {
        if (typeof event !== 'string' && event.type === stt.SpeechEventType.FINAL_TRANSCRIPT) {
          const heard = event.alternatives?.[0];
          const text = heard?.text ?? '';
          const soundMs =
            heard && heard.endTime > heard.startTime
              ? (heard.endTime - heard.startTime) * 1000
              : undefined;
          if (text && holdsFloor()) {
            const backchannel = isBackchannel(text, soundMs, isTopic);
            onOverlap(text, backchannel);
            if (backchannel) return;
          }
        }
        controller.enqueue(event);
      },
    }),
  );
}
