import { ConnectionQuality, ConnectionState, RoomEvent } from '@livekit/rtc-node';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fakeConnectionRoom } from '../../test/fake-connection-room.js';
import { watchCallConnection } from './call-connection.js';

/** A room with the caller `visitor` in it (with a microphone unless told), watched. */
function watched({ microphone = true } = {}) {
  const fake = fakeConnectionRoom();
  fake.join('visitor', { microphone });
  const caller = { identity: 'visitor' };
  const connection = watchCallConnection(fake.room, caller);
  const changes: (string | undefined)[] = [];
  connection.onChange((lost) => changes.push(lost));
  return { fake, caller, connection, changes };
}

describe('call connection', () => {
  test('while the agent reconnects the connection is lost, and back when it has reconnected', () => {
    const { fake, connection, changes } = watched();
    assert.equal(connection.lost, undefined);
    fake.reconnecting();
    assert.equal(connection.lost, 'the agent is reconnecting to LiveKit');
    fake.reconnected();
    assert.equal(connection.lost, undefined);
    assert.deepEqual(changes, ['the agent is reconnecting to LiveKit', undefined]);
  });

  test("either of rtc-node's signals alone is enough, the latest one wins", () => {
    const { fake, connection } = watched();
    fake.setState(ConnectionState.CONN_RECONNECTING);
    assert.notEqual(connection.lost, undefined);
    fake.emit(RoomEvent.Reconnected);
    assert.equal(connection.lost, undefined);
    fake.emit(RoomEvent.Reconnecting);
    assert.notEqual(connection.lost, undefined);
    fake.setState(ConnectionState.CONN_CONNECTED);
    assert.equal(connection.lost, undefined);
  });

  test('a caller who left and rejoins is lost until their microphone is subscribed again', () => {
    const { fake, connection, changes } = watched();
    fake.leave('visitor');
    assert.equal(connection.lost, 'the caller is not in the room');
    fake.join('visitor', { microphone: false });
    assert.equal(connection.lost, "the caller's microphone is gone");
    fake.publishMicrophone('visitor');
    assert.equal(connection.lost, undefined);
    assert.deepEqual(changes, ['the caller is not in the room', undefined], 'one loss, one return');
  });

  test('a microphone dropped by the caller’s client loses the connection until it is back', () => {
    const { fake, connection } = watched();
    fake.dropMicrophone('visitor');
    assert.equal(connection.lost, "the caller's microphone is gone");
    fake.publishMicrophone('visitor');
    assert.equal(connection.lost, undefined);
  });

  test('a caller typing without a microphone is connected', () => {
    const { connection } = watched({ microphone: false });
    assert.equal(connection.lost, undefined);
  });

  test("LiveKit rating the caller's connection as lost loses it until it rates it again", () => {
    const { fake, connection } = watched();
    fake.quality('visitor', ConnectionQuality.QUALITY_POOR);
    assert.equal(connection.lost, undefined, 'a poor connection still carries the call');
    fake.quality('visitor', ConnectionQuality.QUALITY_LOST);
    assert.equal(connection.lost, "LiveKit lost the caller's connection");
    fake.quality('visitor', ConnectionQuality.QUALITY_GOOD);
    assert.equal(connection.lost, undefined);
    fake.quality('visitor', ConnectionQuality.QUALITY_LOST);
    fake.leave('visitor');
    fake.join('visitor');
    assert.equal(connection.lost, undefined, 'a rejoined caller starts with no rating');
  });

  test('the watch follows the caller to another participant', () => {
    const { fake, caller, connection } = watched();
    caller.identity = 'phone';
    fake.leave('visitor');
    assert.equal(connection.lost, 'the caller is not in the room');
    fake.join('phone');
    assert.equal(connection.lost, undefined);
  });

  test('a caller switched to a participant already in the room is noticed without a room event', (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const { fake, caller, connection, changes } = watched();
    fake.leave('visitor'); // the visitor closed the page while their phone rang
    fake.join('phone');
    caller.identity = 'phone'; // they answered: the conversation follows them
    assert.notEqual(connection.lost, undefined);
    t.mock.timers.tick(1_000);
    assert.equal(connection.lost, undefined);
    assert.deepEqual(changes, ['the caller is not in the room', undefined]);
  });

  test('close() stops watching the room', () => {
    const { fake, connection, changes } = watched();
    connection.close();
    fake.reconnecting();
    assert.deepEqual(changes, []);
    assert.equal(fake.listeners(), 0);
  });
});
