import { createHash } from 'node:crypto';
import type { WebhookEvent } from 'livekit-server-sdk';
import type { Persona, RoomClaim, StandbyDispatch } from '@parley/contracts';
import type { Admission } from '../livekit/worker-registry.js';
import type { LivekitEventHandler } from '../livekit/livekit-webhook-routes.js';
import { participantKind } from '../livekit/livekit-events.js';
import { randomId } from './session-issuer.js';

/** What the pool asks of LiveKit (`LivekitStandby` in production). */
export interface StandbyLivekit {
  /** Makes the room with the agent dispatched to it; the room lives `emptyTimeoutSeconds` without a visitor. */
  open(roomName: string, dispatch: StandbyDispatch, emptyTimeoutSeconds: number): Promise<void>;
  /**
   * Tells the room's agent who takes the room (the room's metadata); fails if the agent is not
   * in the room (LiveKit restarted, its worker died) so the session gets a fresh room instead.
   */
  claim(roomName: string, claim: RoomClaim): Promise<void>;
  /** Deletes the room; its agent leaves. */
  close(roomName: string): Promise<void>;
  /** Who is in the room now (`agent`s and others), or `undefined` if LiveKit has no such room. */
  participants(roomName: string): Promise<RoomParticipant[] | undefined>;
}

/** A participant of a standby room, as the pool tells them apart. */
export interface RoomParticipant {
  identity: string;
  agent: boolean;
}

export interface StandbyRoomsOptions {
  /** Rooms kept with an agent waiting in each (`PARLEY_STANDBY_ROOMS`); 0 keeps none. */
  size: number;
  livekit: StandbyLivekit;
  /**
   * The workers' call slots (the `WorkerRegistry`). A standby room's agent holds one like a call
   * does: a room is opened only while another slot stays free beside it, and given up when the
   * others are all taken (a phone caller, who cannot take it, would be refused).
   */
  capacity: { admit(): Promise<Admission>; freeSlots(): Promise<number | undefined> };
  log: (fields: Record<string, unknown>, message: string) => void;
  /** How long a taken room waits for its visitor before it is closed. */
  joinWaitMs: number;
  /** A standby room older than this is replaced (its agent's connection and engines renewed). */
  maxAgeMs: number;
  /** How often taken rooms are expired, old ones replaced and the pool refilled. */
  tickMs: number;
  /**
   * A room whose agent has not joined in this long is replaced (LiveKit dispatches a job only to
   * a worker registered when the room is made, and never again).
   */
  agentWaitMs: number;
  now: () => number;
}

const DEFAULTS = {
  joinWaitMs: 20_000,
  maxAgeMs: 10 * 60_000,
  tickMs: 2_000,
  agentWaitMs: 15_000,
  now: Date.now,
};

/** The persona a standby room's agent loads ahead, and the tenant it belongs to. */
export interface StandbyPersona {
  persona: Persona;
  /** Absent for the default tenant (as in the dispatch). */
  tenantId?: string;
}

/** A standby room taken for a session: the session's room, and whether its agent reloads the persona. */
export interface TakenRoom {
  roomName: string;
  /** The agent loaded another persona, or another version of this one. */
  reload: boolean;
}

interface Standby {
  roomName: string;
  /** The agent's identity, once it has joined the room (only then is the room taken). */
  agent?: string;
  tenantId?: string;
  personaId: string;
  fingerprint: string;
  openedAt: number;
}

interface Taken {
  identity: string;
  takenAt: number;
  agent?: string;
}

/** Tells two versions of a persona apart (the persona as the server hands it to the agent). */
function fingerprintOf(persona: Persona): string {
  return createHash('sha256').update(JSON.stringify(persona)).digest('base64url');
}

/**
 * Rooms opened before anyone asks for them, each with an agent already in it: connected, its
 * persona loaded, its pipeline built, its greeting rendered and its audio track published. A
 * web session takes one instead of a fresh room, so the visitor's click no longer waits for
 * LiveKit to assign a job and for the agent to join (about 0.6 s of the greeting's wait).
 *
 * A room is opened for the persona of the last session asked for, and taken by the next session
 * whatever its persona: an agent that loaded another one (or an older version) loads the right
 * one when told, which costs what a fresh room would have, less the join.
 *
 * Bounded against sessions asked for and never joined: a taken room counts against the pool's
 * size until its visitor joins (LiveKit's `participant_joined`, or the visitor seen in the room at
 * a tick) or `joinWaitMs` passes (the room is then closed), so such sessions hold at most `size`
 * agents. Kept in this replica's memory: each server replica keeps its own pool.
 */
export class StandbyRooms {
  private readonly options: StandbyRoomsOptions;
  private readonly standbys: Standby[] = [];
  private readonly taken = new Map<string, Taken>();
  /** The persona the next room is opened for: the last one a session was asked for. */
  private next: (StandbyPersona & { fingerprint: string }) | undefined;
  /** The refill under way: one at a time. */
  private refilling: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    options: Pick<StandbyRoomsOptions, 'size' | 'livekit' | 'capacity' | 'log'> &
      Partial<StandbyRoomsOptions>,
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** Expires, replaces and refills every `tickMs` from now on (a slow tick is not overlapped). */
  start(): void {
    if (this.options.size <= 0 || this.timer) return;
    let ticking = false;
    this.timer = setInterval(() => {
      if (ticking) return;
      ticking = true;
      void this.tick().finally(() => (ticking = false));
    }, this.options.tickMs);
    this.timer.unref();
  }

  /** Stops the ticks and closes the rooms nobody took. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    const rooms = this.standbys.splice(0).map((standby) => standby.roomName);
    await Promise.all(rooms.map((room) => this.close(room, 'the server stops')));
  }

  /** Opens the first rooms for `persona` (until a session asks for another), once workers report. */
  prime(persona: StandbyPersona): void {
    this.next ??= { ...persona, fingerprint: fingerprintOf(persona.persona) };
  }

  /**
   * Takes a standby room for a session of `wanted` (one preloaded with it if there is one), or
   * `undefined`: the session then gets a fresh room. The next room opened preloads `wanted`;
   * call `refill()` once the session has its call slot (so a new standby room never takes it).
   */
  take(wanted: StandbyPersona): TakenRoom | undefined {
    if (this.options.size <= 0) return undefined;
    const fingerprint = fingerprintOf(wanted.persona);
    this.next = { ...wanted, fingerprint };
    const same = (standby: Standby) =>
      standby.personaId === wanted.persona.id &&
      standby.tenantId === wanted.tenantId &&
      standby.fingerprint === fingerprint;
    const ready = this.standbys.filter((standby) => standby.agent !== undefined);
    const standby = ready.find(same) ?? ready[0];
    if (!standby) return undefined;
    this.standbys.splice(this.standbys.indexOf(standby), 1);
    this.taken.set(standby.roomName, {
      identity: '',
      takenAt: this.options.now(),
      agent: standby.agent,
    });
    return { roomName: standby.roomName, reload: !same(standby) };
  }

  /** Hands the taken room to the session's visitor (`claim.identity`); closes it if that fails. */
  async claim(room: TakenRoom, claim: RoomClaim): Promise<void> {
    const taken = this.taken.get(room.roomName);
    if (taken) taken.identity = claim.identity;
    try {
      await this.options.livekit.claim(room.roomName, claim);
    } catch (error) {
      this.taken.delete(room.roomName);
      void this.close(room.roomName, 'its claim failed');
      throw error;
    }
  }

  /** Wraps LiveKit's webhook handler: visitors joining taken rooms, standby rooms that ended. */
  watch(handler: LivekitEventHandler): LivekitEventHandler {
    return (event) => {
      this.observe(event);
      return handler(event);
    };
  }

  /** Rooms waiting with an agent, and taken ones waiting for their visitor (for tests and logs). */
  get counts(): { standby: number; taken: number } {
    return { standby: this.standbys.length, taken: this.taken.size };
  }

  private observe(event: WebhookEvent): void {
    const room = event.room?.name;
    if (!room) return;
    const standby = this.standbys.find((candidate) => candidate.roomName === room);
    const taken = this.taken.get(room);
    const { participant } = event;
    if (event.event === 'participant_joined' && participant?.identity) {
      if (standby && participantKind(participant) === 'agent') standby.agent = participant.identity;
      if (taken?.identity !== participant.identity) return;
      this.taken.delete(room);
      void this.refill();
    } else if (event.event === 'participant_left' && participant?.identity) {
      // The agent left a room nobody is in yet (its worker died): no one can be served there.
      const gone = participant.identity;
      if (standby?.agent === gone) this.drop(standby, 'its agent left');
      else if (taken?.agent === gone && this.taken.delete(room))
        void this.close(room, 'its agent left');
      else return;
      void this.refill();
    } else if (event.event === 'room_finished') {
      if (standby) this.standbys.splice(this.standbys.indexOf(standby), 1);
      if (standby || this.taken.delete(room)) void this.refill();
    }
  }

  /**
   * One tick, on what LiveKit says of each room (its webhooks may go to another replica): a taken
   * room whose visitor came leaves the count, one whose visitor did not come in time is closed; a
   * standby room is ready once its agent is in it, and closed once its agent is gone, or if none
   * came in time, or when old; a standby room gives its call slot back when no other is free.
   * Then the pool is refilled.
   */
  async tick(): Promise<void> {
    const now = this.options.now();
    await Promise.all([...this.taken].map(([room, taken]) => this.checkTaken(room, taken, now)));
    await Promise.all([...this.standbys].map((standby) => this.checkStandby(standby, now)));
    const standby = this.standbys.at(-1);
    if (standby && (await this.freeSlots()) === 0) {
      this.drop(standby, 'every other call slot is taken');
      return;
    }
    await this.refill();
  }

  private async checkTaken(room: string, taken: Taken, now: number): Promise<void> {
    const participants = await this.participants(room);
    if (participants === 'unknown') return;
    if (participants?.some((p) => p.identity === taken.identity)) {
      this.taken.delete(room);
      return;
    }
    if (now - taken.takenAt < this.options.joinWaitMs) return;
    this.taken.delete(room);
    void this.close(room, 'its visitor never joined');
  }

  private async checkStandby(standby: Standby, now: number): Promise<void> {
    const age = now - standby.openedAt;
    if (age >= this.options.maxAgeMs) return this.drop(standby, 'it is replaced');
    const participants = await this.participants(standby.roomName);
    if (participants === 'unknown') return;
    if (participants === undefined) return this.drop(standby, 'LiveKit no longer has it');
    const agent = participants.find((p) => p.agent)?.identity;
    if (agent) {
      standby.agent = agent;
    } else if (standby.agent !== undefined) {
      this.drop(standby, 'its agent left');
    } else if (age >= this.options.agentWaitMs) {
      this.drop(standby, 'no agent joined it');
    }
  }

  /** Takes `standby` out of the pool and closes its room (if it is still in the pool). */
  private drop(standby: Standby, why: string): void {
    const index = this.standbys.indexOf(standby);
    if (index < 0) return;
    this.standbys.splice(index, 1);
    void this.close(standby.roomName, why);
  }

  /** The room's participants, `undefined` if it is gone, `'unknown'` if LiveKit cannot say. */
  private participants(room: string): Promise<RoomParticipant[] | undefined | 'unknown'> {
    return this.options.livekit.participants(room).catch(() => 'unknown' as const);
  }

  /**
   * Opens rooms, one at a time, until the pool is full, while a call slot stays free beside
   * each. Resolves when done (with the refill already under way, if one is).
   */
  refill(): Promise<void> {
    this.refilling ??= this.open().finally(() => (this.refilling = undefined));
    return this.refilling;
  }

  private async open(): Promise<void> {
    try {
      while (this.next && this.standbys.length + this.taken.size < this.options.size) {
        const { persona, tenantId, fingerprint } = this.next;
        // No worker reporting its load, no room: no agent would come to it.
        const free = await this.freeSlots();
        if (free === undefined || free < 2) return;
        const admission = await this.options.capacity.admit();
        if (!admission.admitted) return;
        const roomName = randomId('web');
        const dispatch: StandbyDispatch = {
          standby: true,
          personaId: persona.id,
          ...(tenantId && { tenantId }),
        };
        const emptyTimeout = Math.ceil((this.options.maxAgeMs + this.options.tickMs) / 1000) + 60;
        await this.options.livekit.open(roomName, dispatch, emptyTimeout);
        this.standbys.push({
          roomName,
          tenantId,
          personaId: persona.id,
          fingerprint,
          openedAt: this.options.now(),
        });
        this.options.log({ roomName, personaId: persona.id }, 'standby room opened');
      }
    } catch (error) {
      // Tried again at the next tick.
      this.options.log({ err: String(error) }, 'cannot open a standby room');
    }
  }

  /** Free call slots, undefined if unknown (no worker reports its load) or unreadable. */
  private async freeSlots(): Promise<number | undefined> {
    return this.options.capacity.freeSlots().catch(() => undefined);
  }

  private async close(roomName: string, why: string): Promise<void> {
    this.options.log({ roomName }, `standby room closed: ${why}`);
    await this.options.livekit.close(roomName).catch(() => undefined);
  }
}
