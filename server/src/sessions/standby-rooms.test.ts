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
import type { LivekitEventHandler } from '../livekit/livekit-webhook-routes.js';
import {
  type RoomParticipant,
  type StandbyLivekit,
  type StandbyPersona,
  StandbyRooms,
  type StandbyRoomsOptions,
} from './standby-rooms.js';

const persona = (id: string, greeting = 'Hi'): Persona =>
  PersonaSchema.parse({ id, name: id, greeting, instructions: '' });

/** `livekit.ParticipantInfo.Kind` as webhooks carry it. */
const KIND = { standard: 0, agent: 4 };

/**
 * LiveKit as the pool sees it: its rooms and who is in them, and its webhooks (which a real
 * deployment may send to another server replica: `webhooks = false`).
 */
class FakeLivekit implements StandbyLivekit {
  readonly rooms = new Map<string, RoomParticipant[]>();
  readonly opened = new Map<string, StandbyDispatch>();
  readonly claims = new Map<string, RoomClaim>();
  readonly closed: string[] = [];
  /** Agents join the rooms opened (a moment later, as a worker's job does). */
  agentsCome = true;
  webhooks = true;
  failClaims = false;
  events: LivekitEventHandler = () => undefined;

  open(roomName: string, dispatch: StandbyDispatch): Promise<void> {
    this.opened.set(roomName, dispatch);
    this.rooms.set(roomName, []);
    if (this.agentsCome) setImmediate(() => this.join(roomName, `agent-${roomName}`, 'agent'));
    return Promise.resolve();
  }
  claim(roomName: string, claim: RoomClaim): Promise<void> {
    if (this.failClaims) return Promise.reject(new Error('livekit is down'));
    this.claims.set(roomName, claim);
    return Promise.resolve();
  }
  close(roomName: string): Promise<void> {
    this.closed.push(roomName);
    this.rooms.delete(roomName);
    return Promise.resolve();
  }
  participants(roomName: string): Promise<RoomParticipant[] | undefined> {
    return Promise.resolve(this.rooms.get(roomName));
  }

  join(room: string, identity: string, kind: keyof typeof KIND = 'standard'): void {
    this.rooms.get(room)?.push({ identity, agent: kind === 'agent' });
    this.webhook('participant_joined', room, identity, kind);
  }
  leave(room: string, identity: string): void {
    const participants = this.rooms.get(room) ?? [];
    const agent = participants.find((p) => p.identity === identity)?.agent ?? false;
    this.rooms.set(
      room,
      participants.filter((p) => p.identity !== identity),
    );
    this.webhook('participant_left', room, identity, agent ? 'agent' : 'standard');
  }
  agentOf(room: string): string {
    const agent = this.rooms.get(room)?.find((p) => p.agent);
    assert.ok(agent, `an agent in ${room}`);
    return agent.identity;
  }

  private webhook(event: string, room: string, identity: string, kind: keyof typeof KIND): void {
    if (!this.webhooks) return;
    const participant = { identity, kind: KIND[kind] };
    void this.events({ event, room: { name: room }, participant } as unknown as WebhookEvent);
  }
}

function pool(options: Partial<StandbyRoomsOptions> & { freeSlots?: number } = {}) {
  const livekit = new FakeLivekit();
  let t = 1_000_000;
  const slots = { free: options.freeSlots ?? 4, unknown: false };
  const capacity = {
    admit(): Promise<Admission> {
      if (slots.free <= 0) return Promise.resolve({ admitted: false, retryAfterSeconds: 1 });
      slots.free -= 1;
      return Promise.resolve({ admitted: true });
    },
    freeSlots: () => Promise.resolve(slots.unknown ? undefined : slots.free),
  };
  const rooms = new StandbyRooms({
    size: 1,
    livekit,
    capacity,
    log: () => undefined,
    now: () => t,
    ...options,
  });
  livekit.events = rooms.watch(() => undefined);
  return { rooms, livekit, slots, advance: (ms: number) => (t += ms) };
}

/** Agents join a moment after their room opened: let them in. */
const settle = () => new Promise((resolve) => setImmediate(resolve));
async function fill(rooms: StandbyRooms): Promise<void> {
  await rooms.refill();
  await settle();
}
async function tickOf(rooms: StandbyRooms): Promise<void> {
  await rooms.tick();
  await settle();
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

/** A pool with one room ready, opened for `first`, and that room taken for visitor `identity`. */
async function takenFor(identity: string, options: Partial<StandbyRoomsOptions> = {}) {
  const made = pool(options);
  made.rooms.take({ persona: persona('sales') });
  await fill(made.rooms);
  const taken = made.rooms.take({ persona: persona('sales') });
  assert.ok(taken);
  await made.rooms.claim(taken, claimFor(identity));
  return { ...made, taken };
}

describe('StandbyRooms', () => {
  test('the first session makes a fresh room; the pool then opens one for its persona, the next session takes it', async () => {
    const { rooms, livekit } = pool();
    const sales = persona('sales');
    assert.equal(rooms.take({ persona: sales }), undefined);
    await fill(rooms);
    assert.deepEqual([...livekit.opened.values()], [{ standby: true, personaId: 'sales' }]);
    const [opened] = livekit.opened.keys();
    assert.deepEqual(rooms.take({ persona: sales }), { roomName: opened, reload: false });
    assert.deepEqual(rooms.counts, { standby: 0, taken: 1 });
  });

  test('a room opened for another persona, or an older version of this one, is taken with a reload', async () => {
    /** A pool with one room ready, opened for `first`. */
    const readyFor = async (first: StandbyPersona) => {
      const { rooms } = pool();
      rooms.take(first);
      await fill(rooms);
      return rooms;
    };
    const sales = { persona: persona('sales') };
    assert.equal((await readyFor(sales)).take(sales)?.reload, false);
    assert.equal((await readyFor(sales)).take({ persona: persona('support') })?.reload, true);
    const edited = { persona: persona('sales', 'Hello again') };
    assert.equal((await readyFor(sales)).take(edited)?.reload, true);
    assert.equal((await readyFor({ ...sales, tenantId: 'acme' })).take(sales)?.reload, true);
  });

  test('a room is taken only once its agent is in it, and given up when its agent leaves', async () => {
    const { rooms, livekit } = pool();
    livekit.agentsCome = false;
    rooms.take({ persona: persona('sales') });
    await fill(rooms);
    const [opened] = livekit.opened.keys();
    assert.ok(opened);
    assert.equal(rooms.take({ persona: persona('sales') }), undefined, 'no agent in it yet');
    livekit.join(opened, 'agent-1', 'agent');
    livekit.leave(opened, 'agent-1');
    assert.deepEqual(livekit.closed, [opened]);
    assert.deepEqual(rooms.counts, { standby: 0, taken: 0 });
    await settle();
    assert.equal(livekit.opened.size, 2, 'another room is opened in its place');
  });

  test('what LiveKit says at each tick counts, whichever replica its webhooks reach', async () => {
    const { rooms, livekit } = pool();
    livekit.webhooks = false;
    rooms.take({ persona: persona('sales') });
    await fill(rooms);
    const [opened] = livekit.opened.keys();
    assert.ok(opened);
    assert.equal(rooms.take({ persona: persona('sales') }), undefined, 'not known ready yet');
    await tickOf(rooms);
    const taken = rooms.take({ persona: persona('sales') });
    assert.equal(taken?.roomName, opened, 'ready once a tick saw its agent');
    await rooms.claim(taken, claimFor('visitor_a'));
    livekit.join(opened, 'visitor_a');
    await tickOf(rooms);
    assert.deepEqual(rooms.counts, { standby: 1, taken: 0 }, 'the visitor came; a new room');
    // The new room's agent dies without a webhook reaching this replica.
    const next = [...livekit.opened.keys()][1];
    assert.ok(next);
    await tickOf(rooms);
    livekit.leave(next, livekit.agentOf(next));
    await tickOf(rooms);
    assert.ok(livekit.closed.includes(next));
    assert.ok(!livekit.closed.includes(opened), 'the call in the taken room goes on');
  });

  test('a taken room counts until its visitor joins: sessions never joined hold at most the pool', async () => {
    const { rooms, livekit, taken } = await takenFor('visitor_a');
    await fill(rooms);
    assert.equal(livekit.opened.size, 1, 'no new room while the taken one waits for its visitor');
    assert.deepEqual(rooms.counts, { standby: 0, taken: 1 });
    // Someone else joining does not count; the claimed visitor does.
    livekit.join(taken.roomName, 'visitor_b');
    assert.equal(rooms.counts.taken, 1);
    livekit.join(taken.roomName, 'visitor_a');
    assert.equal(rooms.counts.taken, 0);
    await fill(rooms);
    assert.equal(livekit.opened.size, 2);
    assert.equal(livekit.claims.get(taken.roomName)?.identity, 'visitor_a');
  });

  test('a taken room whose visitor never joins is closed after the wait, and replaced', async () => {
    const { rooms, livekit, advance, taken } = await takenFor('visitor_a', { joinWaitMs: 20_000 });
    advance(19_000);
    await tickOf(rooms);
    assert.deepEqual(livekit.closed, []);
    advance(1_000);
    await tickOf(rooms);
    assert.deepEqual(livekit.closed, [taken.roomName]);
    assert.deepEqual(rooms.counts, { standby: 1, taken: 0 });
  });

  test('opens a room only with another call slot free beside it, and tries again at the next tick', async () => {
    const { rooms, livekit, slots } = pool({ freeSlots: 1 });
    rooms.take({ persona: persona('sales') });
    await fill(rooms);
    assert.equal(livekit.opened.size, 0, 'the last free slot is not taken');
    slots.free = 2;
    await tickOf(rooms);
    assert.equal(livekit.opened.size, 1);
    assert.equal(slots.free, 1);
  });

  test('gives its slot back when every other slot is taken (a phone caller cannot take the room)', async () => {
    const { rooms, livekit, slots } = pool({ freeSlots: 2 });
    rooms.take({ persona: persona('sales') });
    await fill(rooms);
    const [opened] = livekit.opened.keys();
    slots.free = 0;
    await tickOf(rooms);
    assert.deepEqual(livekit.closed, [opened]);
    assert.deepEqual(rooms.counts, { standby: 0, taken: 0 });
    await tickOf(rooms);
    assert.equal(livekit.opened.size, 1, 'no new room while no slot is free');
  });

  test('a claim LiveKit refuses closes the room and fails, so the session gets a fresh room', async () => {
    const { rooms, livekit } = pool();
    rooms.take({ persona: persona('sales') });
    await fill(rooms);
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
    await fill(rooms);
    const [first] = livekit.opened.keys();
    advance(60_000);
    await tickOf(rooms);
    assert.deepEqual(livekit.closed, [first]);
    const second = [...livekit.opened.keys()][1];
    assert.ok(second);
    const finished = { event: 'room_finished', room: { name: second } } as WebhookEvent;
    await livekit.events(finished);
    await fill(rooms);
    const third = [...livekit.opened.keys()][2];
    assert.ok(third);
    await rooms.stop();
    assert.deepEqual(livekit.closed, [first, third]);
  });

  test('a room no agent joins is replaced; no room opens while no worker reports its load', async () => {
    const { rooms, livekit, slots, advance } = pool({ agentWaitMs: 15_000 });
    livekit.agentsCome = false;
    rooms.prime({ persona: persona('sales') });
    await tickOf(rooms);
    const [first] = livekit.opened.keys();
    assert.ok(first, 'a primed pool opens a room without a session');
    advance(15_000);
    slots.unknown = true;
    await tickOf(rooms);
    assert.deepEqual(livekit.closed, [first]);
    assert.equal(livekit.opened.size, 1, 'no new room while capacity is unknown');
    slots.unknown = false;
    await tickOf(rooms);
    assert.equal(livekit.opened.size, 2);
  });

  test('size 0 keeps no room', async () => {
    const { rooms, livekit } = pool({ size: 0 });
    rooms.prime({ persona: persona('sales') });
    assert.equal(rooms.take({ persona: persona('sales') }), undefined);
    await rooms.refill();
    await rooms.tick();
    assert.equal(livekit.opened.size, 0);
  });
});
