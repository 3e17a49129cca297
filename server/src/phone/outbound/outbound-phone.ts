import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import {
  OutboundCallRequestSchema,
  type BusinessHours,
  type OutboundCallRequest,
  type CallOutcome,
  type DispatchMetadata,
  type Persona,
  type PhoneCallStatus,
  type Call,
} from '@parley/contracts';
import type { Database, TenantStorage } from '../../storage/index.js';
import { assertMayDial } from './dial-guards.js';
import type { StoredOutboundTrunk } from './outbound-trunk-repo.js';
import type { DialRequest, PhoneDialer } from './phone-dialer.js';
import type { DialOutcome } from './sip-outcome.js';
import type { Admission } from '../../livekit/worker-registry.js';
import {
  AtCapacityError,
  DomainError,
  NotFoundError,
  ConflictError,
  InvalidInputError,
  parseInput,
} from '../../domain-errors.js';

/** The agent workers' call slots (the server's `WorkerRegistry`). */
export interface CallSlots {
  /** Takes a slot as part of the transaction `within` sees, if one is free. */
  admit(within: Database): Promise<Admission>;
}

export interface OutboundPhoneOptions {
  dialer: PhoneDialer;
  /**
   * The agent workers' call slots: an outbound call takes one before anything dials, as a web
   * session does. Without it, capacity is not checked.
   */
  agents?: CallSlots;
  /** How long a visitor's phone rings (continue on my phone) before it counts as unanswered. */
  ringingTimeoutSeconds?: number;
  now?: () => Date;
  /** Told how each dial ended (and any failure of the bookkeeping after it). */
  log?: (line: string) => void;
}

/** The `202` answer of `POST /v1/calls/outbound`. */
export interface PlacedCall {
  callId: string;
  roomName: string;
  status: 'dialing';
}

/** An outbound call checked and recorded, not dialled yet (see `OutboundPhone.prepareCall`). */
export interface PreparedCall {
  call: Call;
  trunk: StoredOutboundTrunk;
  request: OutboundCallRequest;
}

/** A dial into a call the request does not wait for. */
interface BackgroundDial {
  tenant: TenantStorage;
  call: Call;
  request: DialRequest;
  /** Whether the call is the phone leg itself (an outbound call), closed if never answered. */
  closeUnanswered: boolean;
}

const random = (bytes: number) => randomBytes(bytes).toString('base64url');

/** The SIP participant of an outbound call (`sip_<digits>`, as LiveKit names callers). */
const identityOf = (call: Call) =>
  call.participantIdentity ?? `sip_${call.caller.phoneNumber ?? ''}`;

/** A call never answered ends with this outcome, so it does not stay active. */
export function unansweredOutcome(status: DialOutcome['status']): CallOutcome {
  return status === 'failed' ? 'failed' : 'abandoned';
}

/** The number to dial for a transfer target: an E.164 number, or the user of a `sip:` URI. */
export function dialTargetOf(target: string): string {
  const sip = /^sips?:([^@;]+)@/.exec(target);
  return sip?.[1] ?? target.replace(/^sips?:/, '');
}

/**
 * The trunk a dial goes through: the one named (by the request or the persona), or the tenant's
 * first.
 */
export async function outboundTrunkFor(
  tenant: TenantStorage,
  name: string | undefined,
): Promise<StoredOutboundTrunk> {
  const trunk = name
    ? await tenant.outboundTrunks.get(name)
    : (await tenant.outboundTrunks.list())[0];
  if (!trunk) {
    throw new DomainError(
      'no_outbound_trunk',
      name
        ? `no outbound trunk '${name}'`
        : 'the tenant has no outbound trunk (PUT /v1/outbound-trunks/:name)',
    );
  }
  return trunk;
}

/**
 * Outbound phone calls: what is checked before anything dials, the call record made for them,
 * the dial itself, and what becomes of its outcome (the call's `phoneStatus`, its legs, the
 * `call.phone_status` webhook, and the close of a call nobody answered).
 *
 * The checks of a dial and the call (or leg) they let through are one transaction under the
 * tenant's lock (`TenantStorage.exclusively`): whichever server replicas place a tenant's calls at
 * once, they are counted one at a time against its `maxConcurrentPhoneCalls`. The dial's
 * follow-up runs in the replica that placed it.
 */
export class OutboundPhone {
  private readonly dialer: PhoneDialer;
  private readonly agents: CallSlots | undefined;
  private readonly ringingTimeoutSeconds: number;
  private readonly now: () => Date;
  private readonly log: (line: string) => void;

  constructor(options: OutboundPhoneOptions) {
    this.dialer = options.dialer;
    this.agents = options.agents;
    this.ringingTimeoutSeconds = options.ringingTimeoutSeconds ?? 30;
    this.now = options.now ?? (() => new Date());
    this.log = options.log ?? (() => undefined);
  }

  get phoneDialer(): PhoneDialer {
    return this.dialer;
  }

  /**
   * Checks and places an outbound call: the call record (`dialing`) and the agent's dispatch
   * exist before this answers; the dial goes on in the background.
   */
  async placeCall(
    tenant: TenantStorage,
    persona: Persona,
    input: z.input<typeof OutboundCallRequestSchema>,
    tenantHint: string | undefined,
  ): Promise<PlacedCall> {
    const request = parseInput(OutboundCallRequestSchema, input);
    const prepared = await tenant.exclusively((locked, db) =>
      this.prepareCall(locked, db, persona, request),
    );
    return this.dial(tenant, persona, prepared, tenantHint);
  }

  /**
   * The checks of an outbound call and its record (`dialing`), in the transaction of `locked`
   * (under the tenant's lock, see `TenantStorage.exclusively`): nothing dials until
   * {@link dial} is given what this answers, after the transaction. `window` replaces the
   * persona's calling hours (a campaign's calling window).
   */
  async prepareCall(
    locked: TenantStorage,
    db: Database,
    persona: Persona,
    request: OutboundCallRequest,
    window?: BusinessHours,
  ): Promise<PreparedCall> {
    await assertMayDial({
      rules: locked.dialRules,
      persona,
      to: request.to,
      now: this.now(),
      callingHours: window ?? true,
    });
    const trunk = await outboundTrunkFor(locked, request.trunk ?? persona.phone.outboundTrunk);
    if (request.from && !trunk.numbers.includes(request.from)) {
      throw new InvalidInputError(`from: ${request.from} is not a number of '${trunk.name}'`);
    }
    // Last of the checks, so a call refused for another reason holds no agent's slot.
    const admission = await this.agents?.admit(db);
    if (admission && !admission.admitted) throw new AtCapacityError(admission.retryAfterSeconds);
    const roomName = `phone-out-${random(12)}`;
    const call = await locked.calls.create({
      personaId: persona.id,
      channel: 'phone',
      direction: 'outbound',
      phoneStatus: 'dialing',
      roomName,
      participantIdentity: `sip_${request.to.slice(1)}`,
      caller: { phoneNumber: request.to },
      variables: request.variables ?? {},
      startedAt: this.now().toISOString(),
    });
    return { call, trunk, request };
  }

  /** Dispatches the agent and dials a call {@link prepareCall} recorded; the dial goes on. */
  async dial(
    tenant: TenantStorage,
    persona: Persona,
    { call, trunk, request }: PreparedCall,
    tenantHint: string | undefined,
  ): Promise<PlacedCall> {
    const metadata: DispatchMetadata = {
      personaId: persona.id,
      ...(tenantHint && { tenantId: tenantHint }),
      channel: 'phone',
      direction: 'outbound',
      visitor: {},
      variables: request.variables ?? {},
    };
    try {
      await this.dialer.dispatchAgent(call.roomName, metadata);
    } catch (err) {
      await this.finish(tenant, call, 'failed', true);
      throw err;
    }
    await this.announce(tenant, call.id, identityOf(call), 'dialing');
    await tenant.calls.upsertLeg(call.id, {
      kind: 'phone',
      identity: identityOf(call),
      phoneNumber: request.to,
      direction: 'outbound',
      status: 'dialing',
      startedAt: this.now().toISOString(),
    });
    this.inBackground({
      tenant,
      call,
      closeUnanswered: true,
      request: {
        trunkId: trunk.trunkId,
        to: request.to,
        roomName: call.roomName,
        participantIdentity: identityOf(call),
        leg: 'outbound',
        ...(request.from && { fromNumber: request.from }),
        ringingTimeoutSeconds: request.ringTimeoutSeconds,
        maxCallDurationSeconds: persona.maxCallDurationSeconds,
      },
    });
    return { callId: call.id, roomName: call.roomName, status: 'dialing' };
  }

  /**
   * Dials the visitor's own phone into their web call (`parley.leg` = `continue-on-phone`);
   * the agent moves the conversation to it once it answers.
   */
  async continueOnPhone(
    tenant: TenantStorage,
    call: Call,
    persona: Persona,
    to: string,
  ): Promise<{ status: 'dialing'; identity: string }> {
    if (!persona.phone.continueOnPhone) {
      throw new DomainError(
        'continue_on_phone_disabled',
        `persona '${persona.id}' does not offer to continue on the phone`,
      );
    }
    const identity = `phone-${random(9)}`;
    const trunk = await tenant.exclusively(async (locked) => {
      await assertMayDial({
        rules: locked.dialRules,
        persona,
        to,
        now: this.now(),
        callingHours: false,
      });
      const trunk = await outboundTrunkFor(locked, persona.phone.outboundTrunk);
      // Counted by the concurrency guard from here on.
      await locked.calls.upsertLeg(call.id, {
        kind: 'phone',
        identity,
        phoneNumber: to,
        direction: 'outbound',
        status: 'dialing',
        startedAt: this.now().toISOString(),
      });
      return trunk;
    });
    await this.announce(tenant, call.id, identity, 'dialing');
    this.inBackground({
      tenant,
      call,
      closeUnanswered: false,
      request: {
        trunkId: trunk.trunkId,
        to,
        roomName: call.roomName,
        participantIdentity: identity,
        leg: 'continue-on-phone',
        ringingTimeoutSeconds: this.ringingTimeoutSeconds,
        maxCallDurationSeconds: persona.maxCallDurationSeconds,
      },
    });
    return { status: 'dialing', identity };
  }

  /**
   * Rings the persona's transfer target (never a number from the request) into `roomName` and
   * answers once it picked up or gave up; the leg is kept with the call either way.
   */
  async transferDial(
    tenant: TenantStorage,
    call: Call,
    roomName: string,
    participantIdentity: string,
  ): Promise<{ status: DialOutcome['status']; participantIdentity: string }> {
    const persona = await tenant.personas.get(call.personaId);
    if (!persona) throw new NotFoundError('persona_not_found', `no persona '${call.personaId}'`);
    const target = persona.escalation.transferTarget;
    if (!target) {
      throw new ConflictError(`persona '${persona.id}' has no escalation.transferTarget`);
    }
    const trunk = await outboundTrunkFor(tenant, persona.phone.outboundTrunk);
    const phoneNumber = target.startsWith('+') ? target : undefined;
    const leg = {
      kind: 'transfer' as const,
      identity: participantIdentity,
      ...(phoneNumber && { phoneNumber }),
      direction: 'outbound' as const,
    };
    await tenant.calls.upsertLeg(call.id, {
      ...leg,
      status: 'dialing',
      startedAt: this.now().toISOString(),
    });
    const outcome = await this.dialer.dial(
      {
        trunkId: trunk.trunkId,
        to: dialTargetOf(target),
        roomName,
        participantIdentity,
        leg: 'transfer',
        ringingTimeoutSeconds: persona.escalation.ringTimeoutSeconds,
        maxCallDurationSeconds: persona.maxCallDurationSeconds,
      },
      () => void this.recordLeg(tenant, call.id, { ...leg, status: 'ringing' }),
    );
    this.logOutcome(call, 'transfer', outcome);
    await tenant.calls.upsertLeg(call.id, { ...leg, status: outcome.status });
    return { status: outcome.status, participantIdentity };
  }

  private inBackground(dial: BackgroundDial): void {
    void this.runDial(dial).catch((err: unknown) => {
      this.log(`phone: dial of call ${dial.call.id} could not be recorded: ${String(err)}`);
    });
  }

  private async runDial({ tenant, call, request, closeUnanswered }: BackgroundDial): Promise<void> {
    const leg = {
      kind: 'phone' as const,
      identity: request.participantIdentity,
      phoneNumber: request.to,
      direction: 'outbound' as const,
    };
    // Status changes are written in the order they happened, the last one last.
    let written = Promise.resolve();
    const record = (status: PhoneCallStatus) => {
      written = written.then(async () => {
        await this.announce(tenant, call.id, leg.identity, status);
        await tenant.calls.upsertLeg(call.id, { ...leg, status });
      });
      return written;
    };
    const outcome = await this.dialer.dial(request, () => void record('ringing'));
    this.logOutcome(call, request.leg, outcome);
    await record(outcome.status);
    if (outcome.status !== 'answered' && closeUnanswered) {
      await this.finish(tenant, call, outcome.status, false);
      await this.dialer.closeRoom(call.roomName);
    }
  }

  /** Closes a call nobody answered, with its `call.ended` webhook (once, as the agent's is). */
  private async finish(
    tenant: TenantStorage,
    call: Call,
    status: DialOutcome['status'],
    announce: boolean,
  ): Promise<void> {
    if (announce) await this.announce(tenant, call.id, identityOf(call), status);
    // Ended on this dialer's clock, as it started: a campaign's retry counts from here.
    const { call: ended, closed } = await tenant.calls.close(call.id, {
      outcome: unansweredOutcome(status),
      endedAt: this.now().toISOString(),
    });
    if (closed) {
      await tenant.webhooks.enqueue({
        id: `${ended.id}.ended`,
        type: 'call.ended',
        payload: { call: ended },
      });
    }
  }

  /**
   * Stores the call's phone status and queues `call.phone_status`; the event id names the call,
   * the leg and the status, so a status reported twice is delivered once.
   */
  private async announce(
    tenant: TenantStorage,
    callId: string,
    identity: string,
    status: PhoneCallStatus,
  ): Promise<void> {
    await tenant.calls.setPhoneStatus(callId, status);
    await tenant.webhooks.enqueue({
      id: `${callId}.phone_status.${identity}.${status}`,
      type: 'call.phone_status',
      payload: { callId, status, at: this.now().toISOString() },
    });
  }

  private async recordLeg(
    tenant: TenantStorage,
    callId: string,
    leg: Parameters<TenantStorage['calls']['upsertLeg']>[1],
  ): Promise<void> {
    await tenant.calls.upsertLeg(callId, leg).catch((err: unknown) => {
      this.log(`phone: leg ${leg.identity} of call ${callId} not recorded: ${String(err)}`);
    });
  }

  private logOutcome(call: Call, leg: string, outcome: DialOutcome): void {
    const sip = outcome.sipStatusCode ? ` (SIP ${outcome.sipStatusCode})` : '';
    const why = outcome.reason ? `: ${outcome.reason}` : '';
    this.log(`phone: ${leg} dial for call ${call.id} ${outcome.status}${sip}${why}`);
  }
}
