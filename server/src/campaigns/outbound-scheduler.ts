import {
  type AttemptOutcome,
  type BusinessHours,
  type CallingWindow,
  type OutboundCallRequest,
  type Persona,
} from '@parley/contracts';
import { DomainError } from '../domain-errors.js';
import { callingHoursOf, isOpenAt } from '../phone/outbound/dial-guards.js';
import type { OutboundPhone, PreparedCall } from '../phone/outbound/outbound-phone.js';
import type { Database, TenantStorage } from '../storage/index.js';
import type { CallingContact, CampaignSettings } from './campaign-repo.js';

export interface OutboundSchedulerOptions {
  /** Tenants with work due at `now` (`Storage.tenantsWithOutboundWork`). */
  tenantsWithWork(now: Date): Promise<string[]>;
  /** A tenant's repositories, as the routes see them (`Tenancy.forTenant`). */
  tenant(tenantId: string): TenantStorage;
  /** The tenant id a dispatch names (none for the default tenant, as for its web sessions). */
  tenantHint(tenantId: string): string | undefined;
  outbound: OutboundPhone;
  now?: () => Date;
  log?: (line: string) => void;
}

/**
 * A dial that found its number in no room long after it should have rung out: the server that
 * dialled it stopped before it could follow it up. Its call is closed as failed.
 */
const LOST_DIAL_GRACE_MS = 60_000;

/** Codes that leave a contact out for good: no later attempt would be let through either. */
const SKIPPED_FOR: Record<string, 'do_not_call' | 'destination_not_allowed'> = {
  do_not_call: 'do_not_call',
  destination_not_allowed: 'destination_not_allowed',
};

/** Codes that mean "not now": the contact waits for a later round, no attempt is counted. */
const NOT_NOW = new Set(['outside_calling_hours', 'phone_call_limit', 'at_capacity']);

/** How an attempt ended, read from its call once the call has ended. */
export function attemptOutcomeOf(call: CallingContact['call']): AttemptOutcome {
  switch (call.phoneStatus) {
    case 'answered':
    case 'completed':
      return 'answered';
    case 'busy':
      return 'busy';
    case 'no_answer':
    case 'ringing':
      return 'no_answer';
    default:
      // dialing or failed: a conversation that took place means someone answered
      return call.turns > 0 ? 'answered' : 'failed';
  }
}

export function windowHours(window: CallingWindow): BusinessHours {
  return { ...window, appointmentMinutes: 30 };
}

/** A dial prepared under the tenant's lock, placed once the lock is released. */
interface PendingDial {
  persona: Persona;
  prepared: PreparedCall;
  /** What to do when it cannot be placed after all (its call is closed as failed then). */
  what: string;
}

/**
 * Places the calls that are due: each running campaign's contacts (within its calling window,
 * up to its concurrent calls, retrying as its policy says) and the scheduled calls whose time has
 * come. Every round works under each tenant's lock (`TenantStorage.exclusively`), so any number
 * of server replicas may run it: a contact or a scheduled call is claimed by one of them, and a
 * contact is dialled again only once its previous attempt's call has ended. Nothing is kept in
 * memory between rounds: a restarted server goes on where the database says.
 */
export class OutboundScheduler {
  private readonly options: OutboundSchedulerOptions;
  private readonly now: () => Date;
  private readonly log: (line: string) => void;
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> = Promise.resolve();

  constructor(options: OutboundSchedulerOptions) {
    this.options = options;
    this.now = options.now ?? (() => new Date());
    this.log = options.log ?? (() => undefined);
  }

  /** Runs a round every `intervalMs` (rounds never overlap) until {@link stop}. */
  start(intervalMs: number): void {
    this.timer ??= setInterval(() => {
      this.round = this.round.then(() =>
        this.tick().catch((err: unknown) => this.log(`scheduler: round failed: ${String(err)}`)),
      );
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.round;
  }

  /** One round over every tenant with work due now. */
  async tick(): Promise<void> {
    const now = this.now();
    for (const tenantId of await this.options.tenantsWithWork(now)) {
      try {
        await this.runTenant(tenantId, now);
      } catch (err) {
        this.log(`scheduler: tenant ${tenantId}: ${String(err)}`);
      }
    }
  }

  private async runTenant(tenantId: string, now: Date): Promise<void> {
    const tenant = this.options.tenant(tenantId);
    const lost: CallingContact[] = [];
    const dials = await tenant.exclusively(async (locked, db) => {
      const pending: PendingDial[] = [];
      for (const campaign of await locked.campaigns.running()) {
        await this.runCampaign(locked, db, campaign, now, pending, lost);
      }
      await this.runScheduledCalls(locked, db, now, pending);
      return pending;
    });
    for (const { persona, prepared, what } of dials) {
      try {
        await this.options.outbound.dial(
          tenant,
          persona,
          prepared,
          this.options.tenantHint(tenantId),
        );
      } catch (err) {
        // `dial` closed the call as failed: the next round settles the attempt.
        this.log(`scheduler: ${what} not placed: ${String(err)}`);
      }
    }
    for (const contact of lost) await this.closeIfLost(tenant, contact, now);
  }

  private async runCampaign(
    locked: TenantStorage,
    db: Database,
    campaign: CampaignSettings,
    now: Date,
    pending: PendingDial[],
    lost: CallingContact[],
  ): Promise<void> {
    const { campaigns } = locked;
    const calling = await campaigns.calling(campaign.id);
    let inProgress = 0;
    for (const contact of calling) {
      if (contact.call.status === 'ended') {
        await this.settle(locked, campaign, contact, now);
        continue;
      }
      inProgress++;
      const ringsOutAt =
        Date.parse(contact.call.startedAt) +
        campaign.ringTimeoutSeconds * 1000 +
        LOST_DIAL_GRACE_MS;
      if (contact.call.phoneStatus === 'dialing' && now.getTime() > ringsOutAt) lost.push(contact);
    }
    if (await campaigns.completeIfDone(campaign.id, now)) {
      const done = await campaigns.require(campaign.id);
      await locked.webhooks.enqueue({
        id: `${campaign.id}.completed`,
        type: 'campaign.completed',
        payload: { campaign: done },
      });
      this.log(`scheduler: campaign ${campaign.id} completed`);
      return;
    }
    const persona = await locked.personas.get(campaign.personaId);
    if (!persona) {
      this.log(`scheduler: campaign ${campaign.id}: persona '${campaign.personaId}' is gone`);
      return;
    }
    const window = campaign.callingWindow
      ? windowHours(campaign.callingWindow)
      : callingHoursOf(persona);
    if (!isOpenAt(window, now)) return;
    for (const contact of await campaigns.due(
      campaign.id,
      now,
      campaign.maxConcurrentCalls - inProgress,
    )) {
      const request: OutboundCallRequest = {
        persona: persona.id,
        to: contact.number,
        ...(campaign.from && { from: campaign.from }),
        ...(campaign.trunk && { trunk: campaign.trunk }),
        variables: {
          ...contact.variables,
          ...(contact.name && { contact_name: contact.name }),
          campaign_name: campaign.name,
        },
        ringTimeoutSeconds: campaign.ringTimeoutSeconds,
      };
      let prepared: PreparedCall;
      try {
        prepared = await this.options.outbound.prepareCall(locked, db, persona, request, window);
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        const skipped = SKIPPED_FOR[err.code];
        if (skipped) {
          await campaigns.skip(campaign.id, contact.id, skipped, now);
          this.log(`scheduler: campaign ${campaign.id}: ${contact.number} skipped (${err.code})`);
          continue;
        }
        if (!NOT_NOW.has(err.code)) {
          // A campaign that cannot dial at all (its trunk gone, a caller id not the trunk's) is
          // paused until someone fixes it and resumes it, rather than retried every round.
          await campaigns.act(campaign.id, 'pause', now);
          this.log(`scheduler: campaign ${campaign.id} paused: it cannot dial: ${err.message}`);
        }
        return; // not now: the next round tries again
      }
      await campaigns.beginAttempt(campaign.id, contact.id, prepared.call.id, now);
      pending.push({
        persona,
        prepared,
        what: `campaign ${campaign.id} call to ${contact.number}`,
      });
    }
  }

  /** The attempt's call ended: the contact is done, or waits for its next attempt. */
  private async settle(
    locked: TenantStorage,
    campaign: CampaignSettings,
    contact: CallingContact,
    now: Date,
  ): Promise<void> {
    const outcome = attemptOutcomeOf(contact.call);
    const { retry } = campaign;
    let next: Parameters<TenantStorage['campaigns']['endAttempt']>[3];
    if (outcome === 'answered') next = { status: 'completed' };
    else if (retry.retryOn.includes(outcome) && contact.attempts < retry.maxAttempts) {
      // counted from the end of the call; a number put on the do-not-call list meanwhile is
      // skipped when the retry is due
      const ended = Date.parse(contact.call.endedAt ?? now.toISOString());
      next = { status: 'retry_scheduled', at: new Date(ended + retry.retryAfterSeconds * 1000) };
    } else next = { status: 'exhausted' };
    await locked.campaigns.endAttempt(campaign.id, contact.id, outcome, next, now);
  }

  /** Scheduled calls whose time has come: dialled, or failed with the reason. */
  private async runScheduledCalls(
    locked: TenantStorage,
    db: Database,
    now: Date,
    pending: PendingDial[],
  ): Promise<void> {
    for (const due of await locked.scheduledCalls.due(now, 10)) {
      const persona = await locked.personas.get(due.personaId);
      if (!persona) {
        await locked.scheduledCalls.failed(due.id, 'persona_not_found');
        continue;
      }
      let prepared: PreparedCall;
      try {
        prepared = await this.options.outbound.prepareCall(locked, db, persona, {
          persona: persona.id,
          to: due.to,
          ...(due.from && { from: due.from }),
          ...(due.trunk && { trunk: due.trunk }),
          variables: due.variables,
          ringTimeoutSeconds: due.ringTimeoutSeconds,
        });
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        if (err.code === 'phone_call_limit' || err.code === 'at_capacity') return; // next round
        await locked.scheduledCalls.failed(due.id, err.code);
        this.log(`scheduler: scheduled call ${due.id} not placed (${err.code}): ${err.message}`);
        continue;
      }
      await locked.scheduledCalls.placed(due.id, prepared.call.id);
      pending.push({ persona, prepared, what: `scheduled call ${due.id}` });
    }
  }

  /**
   * A campaign call still `dialing` long after it should have rung out: if its number is in no
   * room, the server that dialled it stopped before following it up, and the call is closed as
   * failed (the next round settles the attempt). A number in the room is a call going on.
   */
  private async closeIfLost(
    tenant: TenantStorage,
    contact: CallingContact,
    now: Date,
  ): Promise<void> {
    const { roomName, participantIdentity } = contact.call;
    const dialer = this.options.outbound.phoneDialer;
    if (participantIdentity && (await dialer.isInRoom(roomName, participantIdentity))) return;
    await tenant.calls.setPhoneStatus(contact.callId, 'failed');
    const { closed } = await tenant.calls.close(contact.callId, {
      outcome: 'failed',
      endedAt: now.toISOString(),
    });
    if (closed) this.log(`scheduler: call ${contact.callId} was lost while dialling; closed`);
    await dialer.closeRoom(roomName).catch(() => undefined);
  }
}
