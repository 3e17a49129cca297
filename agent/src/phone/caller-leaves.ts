import { DisconnectReason, RoomEvent, type RemoteParticipant } from '@livekit/rtc-node';
import type { RecorderLogger } from '../recording/recorder-logger.js';
import { ringingLeg, type SipRoom, waitUntilAnswered } from './sip-participant.js';

/**
 * Why a participant left for good (as LiveKit's RoomIO counts it for `closeOnDisconnect`): they
 * hung up, closed the page, or the room was deleted. A dropped connection is not one of them.
 */
const LEFT_FOR_GOOD: readonly (DisconnectReason | undefined)[] = [
  DisconnectReason.CLIENT_INITIATED,
  DisconnectReason.ROOM_DELETED,
  DisconnectReason.USER_REJECTED,
];

/**
 * Ends the call (`end`) when the caller leaves for good, as RoomIO's `closeOnDisconnect` would
 * (the session must start with it off), with one difference: a web visitor whose conversation
 * is moving to their phone may leave while that phone still rings — they close the page, or
 * their page leaves the moment it sees the phone connect, before the agent has. The call then
 * waits for the phone: answered, the conversation goes on there; not answered, the call ends.
 * `caller` is read when someone leaves, so it follows the conversation to the phone.
 * Returns a function that stops watching.
 */
export function endWhenCallerLeaves(
  room: SipRoom,
  caller: { readonly identity: string },
  end: (reason: string) => void,
  logger: RecorderLogger,
): () => void {
  let stopped = false;
  const left = (identity: string) => {
    const phone = ringingLeg(room, 'continue-on-phone');
    if (!phone) {
      end('participant_disconnected');
      return;
    }
    logger.info({ identity, phone }, 'the visitor left while their phone rings; waiting for it');
    void waitUntilAnswered(room, phone).then((outcome) => {
      if (stopped || outcome === 'answered') return;
      logger.info({ phone }, 'the visitor’s phone was not answered; the call ends');
      end('participant_disconnected');
    });
  };
  const onLeft = (participant: RemoteParticipant) => {
    if (participant.identity !== caller.identity) return;
    if (LEFT_FOR_GOOD.includes(participant.disconnectReason)) left(participant.identity);
  };
  room.on(RoomEvent.ParticipantDisconnected, onLeft);
  // The caller may have left while the session was starting.
  if (!room.remoteParticipants.has(caller.identity)) left(caller.identity);
  return () => {
    stopped = true;
    room.off(RoomEvent.ParticipantDisconnected, onLeft);
  };
}
