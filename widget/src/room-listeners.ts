import {
  RoomEvent,
  type DisconnectReason,
  type Participant,
  type RemoteTrack,
  type Room,
} from 'livekit-client';

/** What a call wants to hear from its room, in the call's own terms. */
export interface RoomListeners {
  /** A remote track can be played. */
  trackSubscribed(track: RemoteTrack): void;
  trackUnsubscribed(track: RemoteTrack): void;
  /** The agent joined, or changed its attributes (`lk.agent.state`). */
  agentChanged(agent: Participant): void;
  /** The agent left the room: it hung up. */
  agentLeft(): void;
  /** Someone else (not the agent) joined, changed its attributes, or left (`left`). */
  otherChanged(participant: Participant, left: boolean): void;
  disconnected(reason: DisconnectReason | undefined): void;
  /**
   * The network dropped; LiveKit tries to resume. Also for the signal connection alone: while it is
   * down nothing from the server (agent state, the agent hanging up) reaches the page.
   */
  reconnecting(): void;
  reconnected(): void;
  /** The browser allowed or blocked audio playback. */
  audioPlaybackChanged(): void;
  /** LiveKit's speaker levels (the server's, a few times a second) changed. */
  levelsChanged(): void;
}

/** Subscribes `listeners` to `room`; the returned function unsubscribes them all. */
export function listenToRoom(room: Room, listeners: RoomListeners): () => void {
  const onAttributesChanged = (_changed: Record<string, string>, participant: Participant) => {
    if (participant.isAgent) listeners.agentChanged(participant);
    else listeners.otherChanged(participant, false);
  };
  const onParticipantConnected = (participant: Participant): void => {
    if (participant.isAgent) listeners.agentChanged(participant);
    else listeners.otherChanged(participant, false);
  };
  const onParticipantDisconnected = (participant: Participant): void => {
    if (participant.isAgent) listeners.agentLeft();
    else listeners.otherChanged(participant, true);
  };
  const onTrackSubscribed = (track: RemoteTrack) => listeners.trackSubscribed(track);
  const onTrackUnsubscribed = (track: RemoteTrack) => listeners.trackUnsubscribed(track);
  const onDisconnected = (reason?: DisconnectReason) => listeners.disconnected(reason);
  const onReconnecting = () => listeners.reconnecting();
  const onReconnected = () => listeners.reconnected();
  const onAudioPlayback = () => listeners.audioPlaybackChanged();
  const onSpeakers = () => listeners.levelsChanged();

  room
    .on(RoomEvent.TrackSubscribed, onTrackSubscribed)
    .on(RoomEvent.TrackUnsubscribed, onTrackUnsubscribed)
    .on(RoomEvent.ParticipantAttributesChanged, onAttributesChanged)
    .on(RoomEvent.ParticipantConnected, onParticipantConnected)
    .on(RoomEvent.ParticipantDisconnected, onParticipantDisconnected)
    .on(RoomEvent.Disconnected, onDisconnected)
    .on(RoomEvent.Reconnecting, onReconnecting)
    .on(RoomEvent.SignalReconnecting, onReconnecting)
    .on(RoomEvent.Reconnected, onReconnected)
    .on(RoomEvent.AudioPlaybackStatusChanged, onAudioPlayback)
    .on(RoomEvent.ActiveSpeakersChanged, onSpeakers);
  return () => {
    room
      .off(RoomEvent.TrackSubscribed, onTrackSubscribed)
      .off(RoomEvent.TrackUnsubscribed, onTrackUnsubscribed)
      .off(RoomEvent.ParticipantAttributesChanged, onAttributesChanged)
      .off(RoomEvent.ParticipantConnected, onParticipantConnected)
      .off(RoomEvent.ParticipantDisconnected, onParticipantDisconnected)
      .off(RoomEvent.Disconnected, onDisconnected)
      .off(RoomEvent.Reconnecting, onReconnecting)
      .off(RoomEvent.SignalReconnecting, onReconnecting)
      .off(RoomEvent.Reconnected, onReconnected)
      .off(RoomEvent.AudioPlaybackStatusChanged, onAudioPlayback)
      .off(RoomEvent.ActiveSpeakersChanged, onSpeakers);
  };
}
