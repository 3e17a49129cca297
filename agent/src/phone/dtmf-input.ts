import { llm, type voice } from '@livekit/agents';
import { type RemoteParticipant, RoomEvent } from '@livekit/rtc-node';
import type { Persona } from '@parley/contracts';
import { DTMF_EXTRA } from '../recording/turn-builder.js';
import type { RecorderLogger } from '../recording/recorder-logger.js';
import { DtmfCollector, type DtmfInput } from './dtmf-collector.js';

type DtmfListener = (code: number, digit: string, participant: RemoteParticipant) => void;

/** The part of a LiveKit `Room` the keypad needs. */
export interface DtmfRoom {
  on(event: RoomEvent.DtmfReceived, listener: DtmfListener): unknown;
  off(event: RoomEvent.DtmfReceived, listener: DtmfListener): unknown;
}

export type KeypadSession = Pick<voice.AgentSession, 'generateReply' | 'interrupt'>;

export interface KeypadOptions {
  persona: Pick<Persona, 'phone'>;
  session: KeypadSession;
  /** Whose keys count: the participant the conversation is with now. */
  callerIdentity(): string;
  logger: RecorderLogger;
}

/**
 * The caller's words for keys they pressed: a user message the agent answers like speech,
 * carrying the keys in `extra` so the call record stores them with the turn.
 */
export function keypadMessage(input: DtmfInput): llm.ChatMessage {
  return llm.ChatMessage.create({
    role: 'user',
    content: input.text,
    extra: { [DTMF_EXTRA]: input.keys },
  });
}

/**
 * Listens to the caller's keypad (`RoomEvent.DtmfReceived`): keys become the caller's words
 * (see {@link DtmfCollector}) and the agent answers them, cutting short what it was saying.
 * Returns a function that stops listening (and hands over a digit string in progress).
 */
export function listenToKeypad(room: DtmfRoom, opts: KeypadOptions): () => void {
  const { session, logger } = opts;
  const collector = new DtmfCollector({
    ...opts.persona.phone,
    onInput: (input) => {
      logger.info({ kind: input.kind, keys: input.keys }, 'keypad input');
      try {
        session.interrupt();
      } catch {
        // the line being spoken may not be interrupted; the answer follows it
      }
      try {
        session.generateReply({ userInput: keypadMessage(input) });
      } catch (error) {
        logger.warn({ err: String(error) }, 'keypad input came after the session ended');
      }
    },
  });
  const onKey: DtmfListener = (_code, digit, participant) => {
    if (participant.identity === opts.callerIdentity()) collector.press(digit);
  };
  room.on(RoomEvent.DtmfReceived, onKey);
  return () => {
    room.off(RoomEvent.DtmfReceived, onKey);
    collector.close();
  };
}
