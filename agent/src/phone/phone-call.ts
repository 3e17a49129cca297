/**
 * What a call does beyond a web call when a phone is involved, in the few steps worker.ts
 * takes: answer at once, wait for an outbound callee to pick up, remember a returning caller,
 * and during the call listen to the keypad, check the caller's audio bandwidth and follow a web
 * visitor who continues on their phone.
 */
import type { voice } from '@livekit/agents';
import type { Room } from '@livekit/rtc-node';
import type { CallerHistory, CallInput, Persona } from '@parley/contracts';
import type { RecorderLogger } from '../recording/recorder-logger.js';
import { ParticipantMicrophoneInput } from '../preconnect/index.js';
import { type AnswerTrack, publishAnswerTrack } from './answer-track.js';
import { listenToKeypad } from './dtmf-input.js';
import { watchCallerBandwidth } from './narrowband-watch.js';
import type { PhoneApi } from './phone-api.js';
import { SIP_PHONE_NUMBER, waitUntilAnswered, watchForLeg, whenLeaves } from './sip-participant.js';

const E164 = /^\+[1-9]\d{6,14}$/;

/** The dispatch's phone direction, read cheaply before anything else (undefined: not a phone call). */
export function phoneDirection(metadata: string): 'inbound' | 'outbound' | undefined {
  try {
    const parsed = JSON.parse(metadata) as { channel?: unknown; direction?: unknown };
    if (parsed.channel !== 'phone') return undefined;
    return parsed.direction === 'outbound' ? 'outbound' : 'inbound';
  } catch {
    return undefined;
  }
}

/**
 * Publishes the answer track (see {@link publishAnswerTrack}) and logs how long after the job
 * started it was out (`publishedMs`). A failure is logged: the session's own track answers later.
 */
export async function answerAtOnce(
  room: Room,
  startedAt: number,
  logger: RecorderLogger,
): Promise<AnswerTrack | undefined> {
  try {
    const track = await publishAnswerTrack(room);
    logger.info(
      { publishedMs: Math.round(performance.now() - startedAt) },
      'answer track published',
    );
    return track;
  } catch (error) {
    logger.warn({ err: String(error) }, 'cannot publish the answer track; the caller rings longer');
    return undefined;
  }
}

/**
 * An outbound call: true once the callee answered; false (logged) when they never did — the
 * server records the no-answer, the agent just leaves.
 */
export async function calleeAnswered(
  room: Room,
  identity: string,
  logger: RecorderLogger,
): Promise<boolean> {
  const outcome = await waitUntilAnswered(room, identity);
  if (outcome === 'answered') logger.info({ identity }, 'the callee answered');
  else logger.info({ identity }, 'the callee hung up or never answered; leaving');
  return outcome === 'answered';
}

/**
 * What Parley remembers of a phone caller, by number; undefined for a web call (its history
 * came with the dispatch) or when the server cannot say (logged: the call goes on without it).
 */
export async function phoneCallerHistory(
  api: PhoneApi,
  call: CallInput,
  logger: RecorderLogger,
): Promise<CallerHistory | undefined> {
  const number = call.caller?.phoneNumber;
  if (call.channel !== 'phone' || !number || !E164.test(number)) return undefined;
  try {
    const history = await api.callerHistory(number, call.tenantId);
    logger.info({ previousCalls: history.previousCalls }, 'caller history');
    return history;
  } catch (error) {
    logger.warn({ err: String(error) }, 'cannot fetch the caller history; going on without it');
    return undefined;
  }
}

export const NARROWBAND_WARNING =
  "The caller's audio is narrowband (8 kHz telephone audio such as PCMU): the offline speech " +
  'recognition understands little of it. Offer G.722 on the trunk, or use a cloud STT for phone callers.';

/** What a visitor who continued on their phone hears when they pick up. */
export const CONTINUED_ON_PHONE_LINE = 'Hello again! We can carry on here on the phone.';

export interface PhoneFeaturesOptions {
  room: Room;
  session: voice.AgentSession;
  persona: Pick<Persona, 'phone'>;
  call: CallInput;
  /** Whom the conversation is with; updated when it moves to the visitor's phone. */
  caller: { identity: string };
  /** The STT engines in fallback order: the bandwidth only matters to the offline one. */
  sttEngines: readonly string[];
  /** Resolves with the call record's id once the server has it. */
  callId(): Promise<string>;
  api: PhoneApi;
  logger: RecorderLogger;
}

/**
 * For the whole call: the keypad of whoever the conversation is with, the bandwidth of a phone
 * leg's audio when the offline STT has to hear it, and — on a web call — moving the
 * conversation to the visitor's phone once it answers. Returns a function that stops all that.
 */
export function attachPhoneFeatures(opts: PhoneFeaturesOptions): () => void {
  const { room, session, call, api, logger } = opts;
  const { caller } = opts;
  const stops: (() => void)[] = [];
  const report = (what: string, send: (callId: string) => Promise<void>) =>
    void opts
      .callId()
      .then(send)
      .catch((error: unknown) => logger.warn({ err: String(error) }, `cannot report the ${what}`));

  const checkBandwidth = (identity: string) => {
    if (opts.sttEngines[0] !== 'offline') return;
    stops.push(
      watchCallerBandwidth(room, identity, (verdict) => {
        logger.info({ identity, ...verdict }, 'caller audio bandwidth measured');
        if (!verdict.narrowband) return;
        logger.warn({ identity, highBandDb: verdict.highBandDb }, NARROWBAND_WARNING);
        report('narrowband warning', (id) =>
          api.reportWarning(id, {
            code: 'narrowband_audio',
            message: NARROWBAND_WARNING,
            at: new Date().toISOString(),
          }),
        );
      }),
    );
  };

  stops.push(
    listenToKeypad(room, {
      persona: opts.persona,
      session,
      callerIdentity: () => caller.identity,
      logger,
    }),
  );
  if (call.channel === 'phone') checkBandwidth(caller.identity);
  else {
    stops.push(
      watchForLeg(room, 'continue-on-phone', (phone) => {
        const from = caller.identity;
        const input = session.input.audio;
        if (!(input instanceof ParticipantMicrophoneInput)) {
          logger.error({ identity: phone.identity }, 'cannot move the conversation to the phone');
          return;
        }
        input.follow(phone.identity);
        // RoomIO links the session to one participant: its transcripts follow the phone now, and
        // so does "the caller left, end the call" (endWhenCallerLeaves reads `caller`), so the
        // browser leaving ends nothing.
        session._roomIO?.setParticipant(phone.identity);
        caller.identity = phone.identity;
        logger.info({ from, to: phone.identity }, 'the conversation continues on the phone');
        // The visitor picked up: a word tells them it is the same conversation.
        session.say(CONTINUED_ON_PHONE_LINE);
        const number = phone.attributes[SIP_PHONE_NUMBER];
        const startedAt = new Date().toISOString();
        report('phone leg', (id) =>
          api.reportLeg(id, {
            kind: 'phone',
            identity: phone.identity,
            ...(number && E164.test(number) ? { phoneNumber: number } : {}),
            direction: 'outbound',
            status: 'answered',
            startedAt,
          }),
        );
        const browserLeft = () => {
          const endedAt = new Date().toISOString();
          logger.info({ identity: from }, 'the browser leg left; the call goes on by phone');
          report('web leg', (id) => api.reportLeg(id, { kind: 'web', identity: from, endedAt }));
        };
        // The visitor may have closed the page while the phone rang: their leg ends now.
        if (room.remoteParticipants.has(from)) stops.push(whenLeaves(room, from, browserLeft));
        else browserLeft();
        checkBandwidth(phone.identity);
      }),
    );
  }
  return () => stops.splice(0).forEach((stop) => stop());
}
