import { DisconnectReason } from '@livekit/rtc-node';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fakeSipRoom } from '../../test/fake-sip-room.js';
import { endWhenCallerLeaves } from './caller-leaves.js';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

function watched(identity: string) {
  const fake = fakeSipRoom();
  fake.join(identity, {});
  const caller = { identity };
  const ended: string[] = [];
  const stop = endWhenCallerLeaves(fake.room, caller, (reason) => ended.push(reason), quiet);
  return { ...fake, caller, ended, stop };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

test('when the caller hangs up or closes the page, then the call ends; others leaving do not', () => {
  const call = watched('visitor');
  call.join('someone-else', {});
  call.leave('someone-else');
  assert.deepEqual(call.ended, []);
  call.leave('visitor');
  assert.deepEqual(call.ended, ['participant_disconnected']);
});

test('when the caller’s connection drops, then the call does not end (they may come back)', () => {
  const call = watched('visitor');
  call.leave('visitor', DisconnectReason.SIGNAL_CLOSE);
  assert.deepEqual(call.ended, []);
});

test('when the visitor leaves while their phone rings and it is answered, then the call goes on', async () => {
  const call = watched('visitor');
  call.join('phone', { 'parley.leg': 'continue-on-phone', 'sip.callStatus': 'ringing' });
  call.leave('visitor');
  await settle();
  assert.deepEqual(call.ended, [], 'waits for the phone');
  call.set('phone', { 'sip.callStatus': 'active' });
  call.caller.identity = 'phone'; // what the move to the phone does
  await settle();
  assert.deepEqual(call.ended, []);
  call.leave('phone');
  assert.deepEqual(call.ended, ['participant_disconnected'], 'follows the conversation');
});

test('when the visitor leaves while their phone rings and nobody answers, then the call ends', async () => {
  const call = watched('visitor');
  call.join('phone', { 'parley.leg': 'continue-on-phone', 'sip.callStatus': 'ringing' });
  call.leave('visitor');
  call.set('phone', { 'sip.callStatus': 'hangup' });
  await settle();
  assert.deepEqual(call.ended, ['participant_disconnected']);
});

test('when the caller left before watching began, then the call ends at once', () => {
  const { room } = fakeSipRoom();
  const ended: string[] = [];
  endWhenCallerLeaves(room, { identity: 'gone' }, (reason) => ended.push(reason), quiet);
  assert.deepEqual(ended, ['participant_disconnected']);
});

test('once stopped, the caller leaving ends nothing', () => {
  const call = watched('visitor');
  call.stop();
  call.leave('visitor');
  assert.deepEqual(call.ended, []);
  assert.equal(call.listeners(), 0);
});
