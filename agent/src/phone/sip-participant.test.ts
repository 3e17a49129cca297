import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fakeSipRoom as fakeRoom } from '../../test/fake-sip-room.js';
import { ringingLeg, waitUntilAnswered, watchForLeg } from './sip-participant.js';

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

test('a ringing leg is one dialled for the purpose whose call is neither answered nor over', () => {
  const { room, join, set } = fakeRoom();
  join('visitor', {});
  join('human', { 'parley.leg': 'transfer', 'sip.callStatus': 'ringing' });
  assert.equal(ringingLeg(room, 'continue-on-phone'), undefined);
  join('phone', { 'parley.leg': 'continue-on-phone', 'sip.callStatus': 'dialing' });
  assert.equal(ringingLeg(room, 'continue-on-phone'), 'phone');
  set('phone', { 'sip.callStatus': 'active' });
  assert.equal(ringingLeg(room, 'continue-on-phone'), undefined, 'answered');
  join('phone-2', { 'parley.leg': 'continue-on-phone', 'sip.callStatus': 'ringing' });
  set('phone-2', { 'sip.callStatus': 'hangup' });
  assert.equal(ringingLeg(room, 'continue-on-phone'), undefined, 'over');
});
