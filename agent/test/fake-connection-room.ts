import {
  type ConnectionQuality,
  ConnectionState,
  DisconnectReason,
  RoomEvent,
  TrackSource,
} from '@livekit/rtc-node';
import { EventEmitter } from 'node:events';
import type { ConnectionRoom } from '../src/conversation/call-connection.js';

interface FakePublication {
  sid: string;
  source: TrackSource;
  track?: object;
}

interface FakeParticipant {
  identity: string;
  disconnectReason?: DisconnectReason;
  trackPublications: Map<string, FakePublication>;
}

/**
 * The agent's room as rtc-node shows it: its connection state, the participants and their
 * microphones, with the events rtc-node emits when they change.
 */
export function fakeConnectionRoom() {
  const emitter = new EventEmitter();
  const remoteParticipants = new Map<string, FakeParticipant>();
  const state = Object.assign(emitter, {
    remoteParticipants,
    connectionState: ConnectionState.CONN_CONNECTED,
  });
  let sids = 0;
  const participant = (identity: string) => {
    const found = remoteParticipants.get(identity);
    if (!found) throw new Error(`no participant ${identity}`);
    return found;
  };
  const setState = (connectionState: ConnectionState) => {
    state.connectionState = connectionState;
    emitter.emit(RoomEvent.ConnectionStateChanged, connectionState);
  };
  const fake = {
    room: state as unknown as ConnectionRoom,
    /** The agent's connection drops and rtc-node tries again (both of its signals). */
    reconnecting() {
      setState(ConnectionState.CONN_RECONNECTING);
      emitter.emit(RoomEvent.Reconnecting);
    },
    reconnected() {
      emitter.emit(RoomEvent.Reconnected);
      setState(ConnectionState.CONN_CONNECTED);
    },
    /** Only the connection state changes (rtc-node may send it without the other signal). */
    setState,
    /** Only rtc-node's Reconnecting / Reconnected event. */
    emit(event: RoomEvent.Reconnecting | RoomEvent.Reconnected) {
      emitter.emit(event);
    },
    join(identity: string, { microphone = true } = {}) {
      const joined: FakeParticipant = { identity, trackPublications: new Map() };
      remoteParticipants.set(identity, joined);
      emitter.emit(RoomEvent.ParticipantConnected, joined);
      if (microphone) fake.publishMicrophone(identity);
    },
    /** The participant's microphone is published, and the agent subscribed to it. */
    publishMicrophone(identity: string) {
      const publication = { sid: `TR_${++sids}`, source: TrackSource.SOURCE_MICROPHONE, track: {} };
      const owner = participant(identity);
      owner.trackPublications.set(publication.sid, publication);
      emitter.emit(RoomEvent.TrackSubscribed, publication.track, publication, owner);
    },
    /** The participant's microphone is unsubscribed and unpublished (their client dropped it). */
    dropMicrophone(identity: string) {
      const owner = participant(identity);
      for (const publication of owner.trackPublications.values()) {
        const { track } = publication;
        publication.track = undefined;
        emitter.emit(RoomEvent.TrackUnsubscribed, track, publication, owner);
        owner.trackPublications.delete(publication.sid);
        emitter.emit(RoomEvent.TrackUnpublished, publication, owner);
      }
    },
    /** The participant leaves; by default as one whose connection timed out. */
    leave(identity: string, disconnectReason = DisconnectReason.SIGNAL_CLOSE) {
      const owner = participant(identity);
      remoteParticipants.delete(identity);
      owner.disconnectReason = disconnectReason;
      emitter.emit(RoomEvent.ParticipantDisconnected, owner);
    },
    quality(identity: string, quality: ConnectionQuality) {
      emitter.emit(RoomEvent.ConnectionQualityChanged, quality, participant(identity));
    },
    listeners: () => emitter.eventNames().reduce((n, e) => n + emitter.listenerCount(e), 0),
  };
  return fake;
}
