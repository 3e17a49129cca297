import { RoomEvent } from '@livekit/rtc-node';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import {
  type LegParticipant,
  type SipRoom,
  waitUntilAnswered,
  watchForLeg,
} from './sip-participant.js';

/** A room whose participants the test adds, updates and removes, with LiveKit's events. */
function fakeRoom() {
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
    leave(identity: string) {
      const participant = remoteParticipants.get(identity);
      remoteParticipants.delete(identity);
      emitter.emit(RoomEvent.ParticipantDisconnected, participant);
    },
    listeners: () => emitter.eventNames().reduce((n, e) => n + emitter.listenerCount(e), 0),
  };
}

test('an outbound callee is answered when its call status becomes active', async () => {
  const { room, join, set, listeners } = fakeRoom();
  join('sip_+15550100', { 'sip.callStatus': 'dialing' });
  join('sip_+15550199', { 'sip.callStatus': 'ringing' });
  const answered = waitUntilAnswered(room, 'sip_+15550100');
  set('sip_+15550100', { 'sip.callStatus': 'ringing' });
  set('sip_+15550199', { 'sip.callStatus': 'active' }); // someone else
  set('sip_+15550100', { 'sip.callStatus': 'active' });
  assert.equal(await answered, 'answered');
  assert.equal(listeners(), 0, 'stopped listening');
});

test('an outbound callee who hangs up or leaves before answering is gone', async () => {
  const { room, join, set, leave } = fakeRoom();
  join('a', { 'sip.callStatus': 'ringing' });
  join('b', { 'sip.callStatus': 'ringing' });
  const hungUp = waitUntilAnswered(room, 'a');
  const left = waitUntilAnswered(room, 'b');
  set('a', { 'sip.callStatus': 'hangup' });
  leave('b');
  assert.equal(await hungUp, 'gone');
  assert.equal(await left, 'gone');
  assert.equal(await waitUntilAnswered(room, 'never-joined'), 'gone');
});

test('a continue-on-phone leg is reported once, when it is answered, and other legs are not', () => {
  const { room, join, set } = fakeRoom();
  const answered: string[] = [];
  join('phone-early', { 'parley.leg': 'continue-on-phone', 'sip.callStatus': 'active' });
  const stop = watchForLeg(room, 'continue-on-phone', (p) => answered.push(p.identity));
  assert.deepEqual(answered, ['phone-early'], 'one already in the room counts');
  join('phone-1', { 'parley.leg': 'continue-on-phone', 'sip.callStatus': 'dialing' });
  join('human', { 'parley.leg': 'transfer', 'sip.callStatus': 'active' });
  join('visitor', {});
  assert.deepEqual(answered, ['phone-early']);
  set('phone-1', { 'sip.callStatus': 'active' });
  set('phone-1', { 'sip.callStatus': 'active' });
  assert.deepEqual(answered, ['phone-early', 'phone-1']);
  stop();
  join('phone-2', { 'parley.leg': 'continue-on-phone', 'sip.callStatus': 'active' });
  assert.equal(answered.length, 2, 'stopped watching');
});
