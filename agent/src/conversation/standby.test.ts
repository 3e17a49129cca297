import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, test } from 'node:test';
import { RoomEvent } from '@livekit/rtc-node';
import type { RoomClaim } from '@parley/contracts';
import { type ClaimRoom, standbyDispatchOf, waitForClaim } from './standby.js';

/** The room as a standby agent watches it: its metadata, changed by the server. */
class FakeRoom extends EventEmitter {
  constructor(public metadata = '') {
    super();
  }
  setMetadata(metadata: string): void {
    this.metadata = metadata;
    this.emit(RoomEvent.RoomMetadataChanged, metadata);
  }
}
const asRoom = (room: FakeRoom) => room as unknown as ClaimRoom;

const claim: RoomClaim = {
  claim: true,
  identity: 'visitor_a',
  reload: false,
  personaId: 'sales',
  channel: 'web',
  visitor: { name: 'Ada' },
  variables: { plan: 'pro' },
};

describe('standby rooms, agent side', () => {
  test('a standby dispatch is told apart from a call dispatch and from garbage', () => {
    assert.deepEqual(standbyDispatchOf('{"standby":true,"personaId":"sales","tenantId":"acme"}'), {
      standby: true,
      personaId: 'sales',
      tenantId: 'acme',
    });
    assert.equal(standbyDispatchOf('{"personaId":"sales","channel":"web"}'), undefined);
    assert.equal(standbyDispatchOf('{"standby":true}'), undefined);
    assert.equal(standbyDispatchOf('not json'), undefined);
  });

  test('the claim written into the room: the session dispatch, the visitor, whether to reload', async () => {
    const room = new FakeRoom();
    const waiting = waitForClaim(asRoom(room), 5_000);
    room.setMetadata('{"note":"not a claim"}');
    room.setMetadata(JSON.stringify(claim));
    assert.deepEqual(await waiting, {
      identity: 'visitor_a',
      reload: false,
      metadata: {
        personaId: 'sales',
        channel: 'web',
        visitor: { name: 'Ada' },
        variables: { plan: 'pro' },
      },
    });
    assert.equal(room.listenerCount(RoomEvent.RoomMetadataChanged), 0);
  });

  test('a claim already in the room when the agent looks is taken at once', async () => {
    const room = new FakeRoom(JSON.stringify({ ...claim, reload: true }));
    assert.equal((await waitForClaim(asRoom(room), 5_000))?.reload, true);
  });

  test('no claim in time, or an abort: undefined', async () => {
    const room = new FakeRoom();
    assert.equal(await waitForClaim(asRoom(room), 20), undefined);
    const aborted = new AbortController();
    const waiting = waitForClaim(asRoom(room), 5_000, aborted.signal);
    aborted.abort();
    assert.equal(await waiting, undefined);
    assert.equal(room.listenerCount(RoomEvent.RoomMetadataChanged), 0);
  });
});
