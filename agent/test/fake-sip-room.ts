import { DisconnectReason, RoomEvent } from '@livekit/rtc-node';
import { EventEmitter } from 'node:events';
import type { LegParticipant, SipRoom } from '../src/phone/sip-participant.js';

/** A room whose participants a test adds, updates and removes, with LiveKit's events. */
export function fakeSipRoom() {
  const emitter = new EventEmitter();
  const remoteParticipants = new Map<string, LegParticipant>();
  const room = Object.assign(emitter, { remoteParticipants }) as unknown as SipRoom;
  return {
    room,
    join(identity: string, attributes: Record<string, string>) {
      const participant = { identity, attributes };
      remoteParticipants.set(identity, participant);
      emitter.emit(RoomEvent.ParticipantConnected, participant);
    },
    set(identity: string, attributes: Record<string, string>) {
      const participant = remoteParticipants.get(identity) as LegParticipant;
      participant.attributes = { ...participant.attributes, ...attributes };
      emitter.emit(RoomEvent.ParticipantAttributesChanged, attributes, participant);
    },
    /** The participant leaves; by default as one who hung up or closed the page. */
    leave(identity: string, disconnectReason = DisconnectReason.CLIENT_INITIATED) {
      const participant = remoteParticipants.get(identity);
      remoteParticipants.delete(identity);
      emitter.emit(RoomEvent.ParticipantDisconnected, { ...participant, disconnectReason });
    },
    listeners: () => emitter.eventNames().reduce((n, e) => n + emitter.listenerCount(e), 0),
  };
}
