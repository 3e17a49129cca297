import {
  ConnectionQuality,
  ConnectionState,
  type Participant,
  type RemoteParticipant,
  type Room,
  RoomEvent,
  TrackSource,
} from '@livekit/rtc-node';

/** The part of the agent's LiveKit `Room` that tells whether the caller can be reached. */
export type ConnectionRoom = Pick<Room, 'connectionState' | 'remoteParticipants' | 'on' | 'off'>;

/** Whether the caller and the agent can hear each other. */
export interface CallConnection {
  /**
   * Why they cannot at the moment (the agent's room is reconnecting, the caller is not in the
   * room, …), or `undefined` while they can.
   */
  readonly lost: string | undefined;
  /** Calls `listener` each time the connection is lost or back; returns a function that stops. */
  onChange(listener: (lost: string | undefined) => void): () => void;
}

/**
 * While the connection is lost it is checked again this often: the caller's identity can change
 * without a room event (a conversation moving to the phone switches it after the phone's events).
 */
const RECHECK_MS = 1_000;

/** Why the agent's room is not connected, for each of its states. */
const ROOM_LOST: Record<ConnectionState, string | undefined> = {
  [ConnectionState.CONN_CONNECTED]: undefined,
  [ConnectionState.CONN_RECONNECTING]: 'the agent is reconnecting to LiveKit',
  [ConnectionState.CONN_DISCONNECTED]: 'the agent is not connected to LiveKit',
};

/**
 * Watches the connection between the agent and `caller` (read at each event, so it follows
 * the conversation to another participant). It is lost while:
 * - the agent's room is not connected (rtc-node reconnecting after a network or server fault);
 * - the caller is not in the room (their client rejoining after a full reconnect, or a phone
 *   still ringing for a conversation moving to it);
 * - LiveKit rates the caller's connection as lost;
 * - the caller's microphone, once heard, is no longer subscribed: their client dropped it and
 *   has not published it again. (Muting keeps it subscribed; a caller without a microphone,
 *   typing in the widget, is not waited for.)
 * Call `close()` to stop watching.
 */
export function watchCallConnection(
  room: ConnectionRoom,
  caller: { readonly identity: string },
): CallConnection & { close(): void } {
  const listeners = new Set<(lost: string | undefined) => void>();
  const quality = new Map<string, ConnectionQuality>();
  /** Callers whose microphone was subscribed at some point. */
  const hadMicrophone = new Set<string>();
  let roomLost = ROOM_LOST[room.connectionState];

  const callerLost = (): string | undefined => {
    const { identity } = caller;
    const participant = room.remoteParticipants.get(identity);
    if (!participant) return 'the caller is not in the room';
    if (quality.get(identity) === ConnectionQuality.QUALITY_LOST) {
      return "LiveKit lost the caller's connection";
    }
    if (hasMicrophone(participant)) hadMicrophone.add(identity);
    else if (hadMicrophone.has(identity)) return "the caller's microphone is gone";
    return undefined;
  };
  let lost = roomLost ?? callerLost();
  let recheck: NodeJS.Timeout | undefined;
  const update = () => {
    const now = roomLost ?? callerLost();
    const changed = (now === undefined) !== (lost === undefined);
    lost = now;
    clearTimeout(recheck);
    recheck = undefined;
    if (lost !== undefined) {
      recheck = setTimeout(update, RECHECK_MS);
      recheck.unref();
    }
    if (changed) for (const listener of listeners) listener(now);
  };

  // The latest of rtc-node's two signals wins: either may come without the other.
  const onRoomState = (state: ConnectionState) => {
    roomLost = ROOM_LOST[state];
    update();
  };
  const onReconnecting = () => onRoomState(ConnectionState.CONN_RECONNECTING);
  const onReconnected = () => onRoomState(ConnectionState.CONN_CONNECTED);
  const onDisconnected = () => onRoomState(ConnectionState.CONN_DISCONNECTED);
  const onJoined = (participant: RemoteParticipant) => {
    quality.delete(participant.identity);
    update();
  };
  const onQuality = (rating: ConnectionQuality, participant: Participant) => {
    quality.set(participant.identity, rating);
    update();
  };
  const onParticipantOrTrack = () => update();

  room.on(RoomEvent.ConnectionStateChanged, onRoomState);
  room.on(RoomEvent.Reconnecting, onReconnecting);
  room.on(RoomEvent.Reconnected, onReconnected);
  room.on(RoomEvent.Disconnected, onDisconnected);
  room.on(RoomEvent.ParticipantConnected, onJoined);
  room.on(RoomEvent.ParticipantDisconnected, onParticipantOrTrack);
  room.on(RoomEvent.ConnectionQualityChanged, onQuality);
  room.on(RoomEvent.TrackSubscribed, onParticipantOrTrack);
  room.on(RoomEvent.TrackUnsubscribed, onParticipantOrTrack);
  room.on(RoomEvent.TrackUnpublished, onParticipantOrTrack);
  update();
  return {
    get lost() {
      return lost;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      listeners.clear();
      clearTimeout(recheck);
      room.off(RoomEvent.ConnectionStateChanged, onRoomState);
      room.off(RoomEvent.Reconnecting, onReconnecting);
      room.off(RoomEvent.Reconnected, onReconnected);
      room.off(RoomEvent.Disconnected, onDisconnected);
      room.off(RoomEvent.ParticipantConnected, onJoined);
      room.off(RoomEvent.ParticipantDisconnected, onParticipantOrTrack);
      room.off(RoomEvent.ConnectionQualityChanged, onQuality);
      room.off(RoomEvent.TrackSubscribed, onParticipantOrTrack);
      room.off(RoomEvent.TrackUnsubscribed, onParticipantOrTrack);
      room.off(RoomEvent.TrackUnpublished, onParticipantOrTrack);
    },
  };
}

function hasMicrophone(participant: RemoteParticipant): boolean {
  for (const publication of participant.trackPublications.values()) {
    if (publication.source === TrackSource.SOURCE_MICROPHONE && publication.track) return true;
  }
  return false;
}
