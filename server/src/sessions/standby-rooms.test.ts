import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { WebhookEvent } from 'livekit-server-sdk';
import {
  type Persona,
  PersonaSchema,
  type RoomClaim,
  type StandbyDispatch,
} from '@parley/contracts';
import type { Admission } from '../livekit/worker-registry.js';
import { type StandbyLivekit, StandbyRooms, type StandbyRoomsOptions } from './standby-rooms.js';

const persona = (id: string, greeting = 'Hi'): Persona =>
  PersonaSchema.parse({ id, name: id, greeting, instructions: '' });

/** LiveKit as the pool sees it: the rooms it opened, claimed and closed. */
class FakeLivekit implements StandbyLivekit {
  readonly opened = new Map<string, StandbyDispatch>();
  readonly claims = new Map<string, RoomClaim>();
  readonly closed: string[] = [];
  failClaims = false;

  open(roomName: string, dispatch: StandbyDispatch): Promise<void> {
    this.opened.set(roomName, dispatch);
    return Promise.resolve();
  }
  claim(roomName: string, claim: RoomClaim): Promise<void> {
    if (this.failClaims) return Promise.reject(new Error('livekit is down'));
    this.claims.set(roomName, claim);
    return Promise.resolve();
  }
  close(roomName: string): Promise<void> {
    this.closed.push(roomName);
    return Promise.resolve();
  }
}

function pool(options: Partial<StandbyRoomsOptions> & { freeSlots?: number } = {}) {
  const livekit = new FakeLivekit();
  let t = 1_000_000;
  const slots = { free: options.freeSlots ?? 4 };
  const capacity = {
    admit(): Promise<Admission> {
      if (slots.free <= 0) return Promise.resolve({ admitted: false, retryAfterSeconds: 1 });
      slots.free -= 1;
      return Promise.resolve({ admitted: true });
    },
    freeSlots: () => Promise.resolve(slots.free),
  };
  const rooms = new StandbyRooms({
    size: 1,
    livekit,
    capacity,
    log: () => undefined,
    now: () => t,
    ...options,
  });
  return { rooms, livekit, slots, advance: (ms: number) => (t += ms) };
}

const claimFor = (identity: string, personaId = 'sales'): RoomClaim => ({
  claim: true,
  identity,
  reload: false,
  personaId,
  channel: 'web',
  visitor: {},
  variables: {},
});

const joined = (room: string, identity: string) =>
  ({
    event: 'participant_joined',
    room: { name: room },
    participant: { identity },
  }) as WebhookEvent;

describe('StandbyRooms', () => {
  test('the first session makes a fresh room; the pool then opens one for its persona, the next session takes it', async () => {
    const { rooms, livekit } = pool();
    const sales = persona('sales');
    assert.equal(rooms.take({ persona: sales }), undefined);
    await rooms.refill();
    assert.deepEqual([...livekit.opened.values()], [{ standby: true, personaId: 'sales' }]);
    const [opened] = livekit.opened.keys();
    assert.deepEqual(rooms.take({ persona: sales }), { roomName: opened, reload: false });
    assert.deepEqual(rooms.counts, { standby: 0, taken: 0 });
  });

  test('a room opened for another persona, or an older version of this one, is taken with a reload', async () => {
    const { rooms } = pool();
    rooms.take({ persona: persona('sales') });
    await rooms.refill();
    assert.equal(rooms.take({ persona: persona('support') })?.reload, true);
    rooms.take({ persona: persona('support') });
    await rooms.refill();
    assert.equal(rooms.take({ persona: persona('support', 'Hello again') })?.reload, true);
    rooms.take({ persona: persona('sales'), tenantId: 'acme' });
    await rooms.refill();
    assert.equal(rooms.take({ persona: persona('sales') })?.reload, true);
  });

  test('a taken room counts until its visitor joins: sessions never joined hold at most the pool', async () => {
    const { rooms, livekit } = pool();
    rooms.take({ persona: persona('sales') });
    await rooms.refill();
    const taken = rooms.take({ persona: persona('sales') });
    assert.ok(taken);
    await rooms.claim(taken, claimFor('visitor_a'));
    await rooms.refill();
    assert.equal(livekit.opened.size, 1, 'no new room while the taken one waits for its visitor');
    assert.deepEqual(rooms.counts, { standby: 0, taken: 1 });
    // Someone else joining does not count; the claimed visitor does.
    await rooms.watch(() => undefined)(joined(taken.roomName, 'visitor_b'));
    assert.equal(rooms.counts.taken, 1);
    await rooms.watch(() => undefined)(joined(taken.roomName, 'visitor_a'));
    assert.equal(rooms.counts.taken, 0);
    await rooms.refill();
    assert.equal(livekit.opened.size, 2);
    assert.equal(livekit.claims.get(taken.roomName)?.identity, 'visitor_a');
  });

  test('a taken room whose visitor never joins is closed after the wait, and replaced', async () => {
    const { rooms, livekit, advance } = pool({ joinWaitMs: 20_000 });
    rooms.take({ persona: persona('sales') });
    await rooms.refill();
    const taken = rooms.take({ persona: persona('sales') });
    assert.ok(taken);
    await rooms.claim(taken, claimFor('visitor_a'));
    advance(19_000);
    await rooms.tick();
    assert.deepEqual(livekit.closed, []);
    advance(1_000);
    await rooms.tick();
    assert.deepEqual(livekit.closed, [taken.roomName]);
    assert.deepEqual(rooms.counts, { standby: 1, taken: 0 });
  });

  test('opens a room only with another call slot free beside it, and tries again at the next tick', async () => {
    const { rooms, livekit, slots } = pool({ freeSlots: 1 });
    rooms.take({ persona: persona('sales') });
    await rooms.refill();
    assert.equal(livekit.opened.size, 0, 'the last free slot is not taken');
    slots.free = 2;
    await rooms.tick();
    assert.equal(livekit.opened.size, 1);
    assert.equal(slots.free, 1);
  });

  test('gives its slot back when every other slot is taken (a phone caller cannot take the room)', async () => {
    const { rooms, livekit, slots } = pool({ freeSlots: 2 });
    rooms.take({ persona: persona('sales') });
    await rooms.refill();
    const [opened] = livekit.opened.keys();
    slots.free = 0;
    await rooms.tick();
    assert.deepEqual(livekit.closed, [opened]);
    assert.deepEqual(rooms.counts, { standby: 0, taken: 0 });
    await rooms.tick();
    assert.equal(livekit.opened.size, 1, 'no new room while no slot is free');
  });

  test('a claim LiveKit refuses closes the room and fails, so the session gets a fresh room', async () => {
    const { rooms, livekit } = pool();
    rooms.take({ persona: persona('sales') });
    await rooms.refill();
    const taken = rooms.take({ persona: persona('sales') });
    assert.ok(taken);
    livekit.failClaims = true;
    await assert.rejects(rooms.claim(taken, claimFor('visitor_a')), /livekit is down/);
    assert.deepEqual(livekit.closed, [taken.roomName]);
    assert.equal(rooms.counts.taken, 0);
  });

  test('old standby rooms are replaced; a finished one is forgotten; stop closes the rest', async () => {
    const { rooms, livekit, advance } = pool({ maxAgeMs: 60_000 });
    rooms.take({ persona: persona('sales') });
    await rooms.refill();
    const [first] = livekit.opened.keys();
    advance(60_000);
    await rooms.tick();
    assert.deepEqual(livekit.closed, [first]);
    const second = [...livekit.opened.keys()][1];
    assert.ok(second);
    const finished = { event: 'room_finished', room: { name: second } } as WebhookEvent;
    await rooms.watch(() => undefined)(finished);
    await rooms.refill();
    const third = [...livekit.opened.keys()][2];
    assert.ok(third);
    await rooms.stop();
    assert.deepEqual(livekit.closed, [first, third]);
  });

  test('size 0 keeps no room', async () => {
    const { rooms, livekit } = pool({ size: 0 });
    assert.equal(rooms.take({ persona: persona('sales') }), undefined);
    await rooms.refill();
    await rooms.tick();
    assert.equal(livekit.opened.size, 0);
  });
});
