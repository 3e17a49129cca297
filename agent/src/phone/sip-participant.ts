import { type Participant, type RemoteParticipant, RoomEvent } from '@livekit/rtc-node';
import { LEG_ATTRIBUTE, type LegPurpose } from '@parley/contracts';

/** livekit-sip keeps a SIP participant's call progress in this attribute. */
export const SIP_CALL_STATUS = 'sip.callStatus';
export const SIP_PHONE_NUMBER = 'sip.phoneNumber';

type Attributes = Readonly<Record<string, string>>;
type AttributesListener = (changed: Record<string, string>, participant: Participant) => void;
type ParticipantListener = (participant: RemoteParticipant) => void;

/** The part of a LiveKit `Room` that tells how SIP participants come and go. */
export interface SipRoom {
  readonly remoteParticipants: ReadonlyMap<string, { identity: string; attributes: Attributes }>;
  on(event: RoomEvent.ParticipantAttributesChanged, listener: AttributesListener): unknown;
  on(
    event: RoomEvent.ParticipantConnected | RoomEvent.ParticipantDisconnected,
    listener: ParticipantListener,
  ): unknown;
  on(event: RoomEvent.Disconnected, listener: () => void): unknown;
  off(event: RoomEvent.ParticipantAttributesChanged, listener: AttributesListener): unknown;
  off(
    event: RoomEvent.ParticipantConnected | RoomEvent.ParticipantDisconnected,
    listener: ParticipantListener,
  ): unknown;
  off(event: RoomEvent.Disconnected, listener: () => void): unknown;
}

/** Which of Parley's dialled legs a participant is (`parley.leg`), if any. */
export function legPurpose(attributes: Attributes): LegPurpose | undefined {
  const purpose = attributes[LEG_ATTRIBUTE];
  return purpose === 'outbound' || purpose === 'continue-on-phone' || purpose === 'transfer'
    ? purpose
    : undefined;
}

export type AnswerOutcome = 'answered' | 'gone';

/**
 * Waits until the SIP participant `identity` is answered (`sip.callStatus` becomes `active`):
 * `gone` if it hangs up, leaves or the agent's room connection ends first.
 */
export function waitUntilAnswered(room: SipRoom, identity: string): Promise<AnswerOutcome> {
  return new Promise((resolve) => {
    const status = (attributes: Attributes) => attributes[SIP_CALL_STATUS];
    const finish = (outcome: AnswerOutcome) => {
      room.off(RoomEvent.ParticipantAttributesChanged, onAttributes);
      room.off(RoomEvent.ParticipantDisconnected, onLeft);
      room.off(RoomEvent.Disconnected, onClosed);
      resolve(outcome);
    };
    const check = (attributes: Attributes) => {
      if (status(attributes) === 'active') finish('answered');
      else if (status(attributes) === 'hangup') finish('gone');
    };
    const onAttributes: AttributesListener = (_changed, participant) => {
      if (participant.identity === identity) check(participant.attributes);
    };
    const onLeft: ParticipantListener = (participant) => {
      if (participant.identity === identity) finish('gone');
    };
    const onClosed = () => finish('gone');
    room.on(RoomEvent.ParticipantAttributesChanged, onAttributes);
    room.on(RoomEvent.ParticipantDisconnected, onLeft);
    room.on(RoomEvent.Disconnected, onClosed);
    const participant = room.remoteParticipants.get(identity);
    if (!participant) finish('gone');
    else check(participant.attributes);
  });
}

export interface LegParticipant {
  identity: string;
  attributes: Attributes;
}

/**
 * Calls `onAnswered` once for each participant of the room dialled as `purpose` (`parley.leg`)
 * whose call is answered (`sip.callStatus` `active`), those already in the room included.
 * Returns a function that stops watching.
 */
export function watchForLeg(
  room: SipRoom,
  purpose: LegPurpose,
  onAnswered: (participant: LegParticipant) => void,
): () => void {
  const seen = new Set<string>();
  const check = (participant: LegParticipant) => {
    if (seen.has(participant.identity)) return;
    if (legPurpose(participant.attributes) !== purpose) return;
    if (participant.attributes[SIP_CALL_STATUS] !== 'active') return;
    seen.add(participant.identity);
    onAnswered(participant);
  };
  const onAttributes: AttributesListener = (_changed, participant) => check(participant);
  const onJoined: ParticipantListener = (participant) => check(participant);
  room.on(RoomEvent.ParticipantAttributesChanged, onAttributes);
  room.on(RoomEvent.ParticipantConnected, onJoined);
  for (const participant of room.remoteParticipants.values()) check(participant);
  return () => {
    room.off(RoomEvent.ParticipantAttributesChanged, onAttributes);
    room.off(RoomEvent.ParticipantConnected, onJoined);
  };
}

/** A participant dialled as `purpose` whose call is neither answered nor over yet, if any. */
export function ringingLeg(room: SipRoom, purpose: LegPurpose): string | undefined {
  for (const participant of room.remoteParticipants.values()) {
    const status = participant.attributes[SIP_CALL_STATUS];
    if (legPurpose(participant.attributes) !== purpose) continue;
    if (status !== 'active' && status !== 'hangup') return participant.identity;
  }
  return undefined;
}

/** Calls `onLeft` when `identity` leaves the room; returns a function that stops waiting. */
export function whenLeaves(room: SipRoom, identity: string, onLeft: () => void): () => void {
  const listener: ParticipantListener = (participant) => {
    if (participant.identity !== identity) return;
    room.off(RoomEvent.ParticipantDisconnected, listener);
    onLeft();
  };
  room.on(RoomEvent.ParticipantDisconnected, listener);
  return () => room.off(RoomEvent.ParticipantDisconnected, listener);
}
