import {
  CampaignInputSchema,
  CallingWindowSchema,
  ContactStatusSchema,
  RetryPolicySchema,
  type AttemptOutcome,
  type CallCampaign,
  type Campaign,
  type CampaignContact,
  type CampaignContactInput,
  type CampaignInput,
  type CampaignStats,
  type CampaignStatus,
  type CallingWindow,
  type ContactStatus,
  type RetryPolicy,
  type SkipReason,
} from '@parley/contracts';
import type { z } from 'zod';
import type { Queryable } from '../storage/database.js';
import { compact, iso, isoOrUndefined, newId, orUndefined } from '../storage/row-helpers.js';
import { ConflictError, NotFoundError, parseInput } from '../domain-errors.js';

type ParsedCampaignInput = z.infer<typeof CampaignInputSchema>;

interface CampaignRow {
  id: string;
  tenant_id: string;
  name: string;
  persona_id: string;
  trunk: string | null;
  from_number: string | null;
  calling_window: CallingWindow | null;
  max_concurrent_calls: number;
  retry_policy: RetryPolicy;
  ring_timeout_seconds: number;
  status: CampaignStatus;
  created_at: Date;
  started_at: Date | null;
  completed_at: Date | null;
}

const CAMPAIGN_COLUMNS = `id, tenant_id, name, persona_id, trunk, from_number, calling_window,
  max_concurrent_calls, retry_policy, ring_timeout_seconds, status, created_at, started_at,
  completed_at`;

interface ContactRow {
  id: string;
  campaign_id: string;
  name: string | null;
  e164: string;
  variables: Record<string, string | number | boolean>;
  status: ContactStatus;
  skip_reason: SkipReason | null;
  attempts: number;
  next_attempt_at: Date | null;
  current_call_id: string | null;
  last_outcome: AttemptOutcome | null;
  updated_at: Date;
}

const CONTACT_COLUMNS = `id, campaign_id, name, e164, variables, status, skip_reason, attempts,
  next_attempt_at, current_call_id, last_outcome, updated_at`;

/** The settings a campaign's dials are made with (what the runner reads). */
export type CampaignSettings = Omit<Campaign, 'stats'>;

/** A contact as the runner sees it. */
export interface DueContact {
  id: string;
  name?: string;
  number: string;
  variables: Record<string, string | number | boolean>;
  attempts: number;
}

/** A contact with an attempt in progress, and how its call stands. */
export interface CallingContact {
  id: string;
  attempts: number;
  callId: string;
  call: {
    status: 'active' | 'ended';
    phoneStatus?: string;
    outcome?: string;
    startedAt: string;
    endedAt?: string;
    roomName: string;
    participantIdentity?: string;
    turns: number;
  };
}

function toSettings(row: CampaignRow): CampaignSettings {
  return compact({
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    personaId: row.persona_id,
    trunk: orUndefined(row.trunk),
    from: orUndefined(row.from_number),
    callingWindow: row.calling_window ? CallingWindowSchema.parse(row.calling_window) : undefined,
    maxConcurrentCalls: row.max_concurrent_calls,
    retry: RetryPolicySchema.parse(row.retry_policy),
    ringTimeoutSeconds: row.ring_timeout_seconds,
    status: row.status,
    createdAt: iso(row.created_at),
    startedAt: isoOrUndefined(row.started_at),
    completedAt: isoOrUndefined(row.completed_at),
  });
}

/** Which campaign actions each status allows, and the status they lead to. */
const TRANSITIONS: Record<string, { from: CampaignStatus[]; to: CampaignStatus }> = {
  start: { from: ['draft'], to: 'running' },
  pause: { from: ['running'], to: 'paused' },
  resume: { from: ['paused'], to: 'running' },
  cancel: { from: ['draft', 'running', 'paused'], to: 'cancelled' },
};

/**
 * One tenant's outbound campaigns: their settings, their contacts (each with its status and its
 * attempts, every attempt a call record) and their statistics. Times are the caller's `now`.
 */
export class CampaignRepo {
  constructor(
    private readonly db: Queryable,
    private readonly tenantId: string,
  ) {}

  /** A draft campaign, with its first contacts (a number given twice is kept once). */
  async create(input: CampaignInput, personaId: string, now: Date): Promise<Campaign> {
    const campaign: ParsedCampaignInput = parseInput(CampaignInputSchema, input);
    const id = newId('cmp');
    await this.db.query(
      `INSERT INTO campaigns (tenant_id, id, name, persona_id, trunk, from_number, calling_window,
         max_concurrent_calls, retry_policy, ring_timeout_seconds, status, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9::jsonb, $10, 'draft', $11)`,
      [
        this.tenantId,
        id,
        campaign.name,
        personaId,
        campaign.trunk ?? null,
        campaign.from ?? null,
        campaign.callingWindow ? JSON.stringify(campaign.callingWindow) : null,
        campaign.maxConcurrentCalls,
        JSON.stringify(campaign.retry),
        campaign.ringTimeoutSeconds,
        now,
      ],
    );
    if (campaign.contacts.length > 0) await this.addContacts(id, campaign.contacts, now);
    return this.require(id);
  }

  /**
   * Adds contacts to a campaign that has not ended; a number already in it is not added again.
   * Answers how many were added.
   */
  async addContacts(
    campaignId: string,
    contacts: readonly CampaignContactInput[],
    now: Date,
  ): Promise<{ added: number; duplicates: number }> {
    const campaign = await this.settings(campaignId);
    if (campaign.status === 'cancelled' || campaign.status === 'completed') {
      throw new ConflictError(`campaign '${campaignId}' is ${campaign.status}`);
    }
    const [last] = await this.db.query<{ n: number | null }>(
      'SELECT max(position) AS n FROM campaign_contacts WHERE tenant_id = $1 AND campaign_id = $2',
      [this.tenantId, campaignId],
    );
    // One statement for the whole list (a CSV may hold thousands), in the order given.
    const rows = await this.db.query(
      `INSERT INTO campaign_contacts (tenant_id, campaign_id, id, position, name, e164, variables,
         status, updated_at)
       SELECT $1, $2, c.id, $3::int + c.n::int, c.name, c.e164, c.variables::jsonb, 'pending', $4
       FROM unnest($5::text[], $6::text[], $7::text[], $8::text[])
         WITH ORDINALITY AS c(id, name, e164, variables, n)
       ORDER BY c.n
       ON CONFLICT (tenant_id, campaign_id, e164) DO NOTHING RETURNING id`,
      [
        this.tenantId,
        campaignId,
        Number(last?.n ?? 0),
        now,
        contacts.map(() => newId('ct')),
        contacts.map((c) => c.name ?? null),
        contacts.map((c) => c.number),
        contacts.map((c) => JSON.stringify(c.variables ?? {})),
      ],
    );
    const added = rows.length;
    return { added, duplicates: contacts.length - added };
  }

  async get(campaignId: string): Promise<Campaign | undefined> {
    const [row] = await this.db.query<CampaignRow>(
      `SELECT ${CAMPAIGN_COLUMNS} FROM campaigns WHERE tenant_id = $1 AND id = $2`,
      [this.tenantId, campaignId],
    );
    return row && { ...toSettings(row), stats: await this.stats(campaignId) };
  }

  async require(campaignId: string): Promise<Campaign> {
    const campaign = await this.get(campaignId);
    if (!campaign) throw new NotFoundError('not_found', `no campaign '${campaignId}'`);
    return campaign;
  }

  /** The campaign's settings, without its statistics. */
  async settings(campaignId: string): Promise<CampaignSettings> {
    const [row] = await this.db.query<CampaignRow>(
      `SELECT ${CAMPAIGN_COLUMNS} FROM campaigns WHERE tenant_id = $1 AND id = $2`,
      [this.tenantId, campaignId],
    );
    if (!row) throw new NotFoundError('not_found', `no campaign '${campaignId}'`);
    return toSettings(row);
  }

  /** Every campaign, newest first, with its statistics. */
  async list(): Promise<Campaign[]> {
    const rows = await this.db.query<CampaignRow>(
      `SELECT ${CAMPAIGN_COLUMNS} FROM campaigns WHERE tenant_id = $1
       ORDER BY created_at DESC, id`,
      [this.tenantId],
    );
    return Promise.all(
      rows.map(async (row) => ({ ...toSettings(row), stats: await this.stats(row.id) })),
    );
  }

  /** The running campaigns: what the scheduler dials for. */
  async running(): Promise<CampaignSettings[]> {
    const rows = await this.db.query<CampaignRow>(
      `SELECT ${CAMPAIGN_COLUMNS} FROM campaigns WHERE tenant_id = $1 AND status = 'running'
       ORDER BY started_at, id`,
      [this.tenantId],
    );
    return rows.map(toSettings);
  }

  /**
   * Starts, pauses, resumes or cancels the campaign; answers it and whether its status changed
   * (starting it twice is a conflict). A cancelled campaign's waiting contacts are skipped; the
   * calls in progress go on.
   */
  async act(
    campaignId: string,
    action: keyof typeof TRANSITIONS,
    now: Date,
  ): Promise<CampaignSettings> {
    const transition = TRANSITIONS[action];
    if (!transition) throw new Error(`no campaign action '${action}'`);
    const current = await this.settings(campaignId);
    if (!transition.from.includes(current.status)) {
      throw new ConflictError(`campaign '${campaignId}' is ${current.status}: it cannot ${action}`);
    }
    const [row] = await this.db.query<CampaignRow>(
      `UPDATE campaigns SET status = $3, started_at = coalesce(started_at, CASE WHEN $3 = 'running'
         THEN $4::timestamptz END)
       WHERE tenant_id = $1 AND id = $2 AND status = ANY($5::text[])
       RETURNING ${CAMPAIGN_COLUMNS}`,
      [this.tenantId, campaignId, transition.to, now, transition.from],
    );
    if (!row) throw new ConflictError(`campaign '${campaignId}' changed meanwhile`);
    if (transition.to === 'cancelled') {
      await this.db.query(
        `UPDATE campaign_contacts SET status = 'skipped', skip_reason = 'cancelled',
           next_attempt_at = NULL, updated_at = $3
         WHERE tenant_id = $1 AND campaign_id = $2 AND status IN ('pending', 'retry_scheduled')`,
        [this.tenantId, campaignId, now],
      );
    }
    return toSettings(row);
  }

  /** Marks a running campaign whose contacts are all done `completed`; answers whether it did. */
  async completeIfDone(campaignId: string, now: Date): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE campaigns c SET status = 'completed', completed_at = $3
       WHERE c.tenant_id = $1 AND c.id = $2 AND c.status = 'running' AND NOT EXISTS (
         SELECT 1 FROM campaign_contacts k WHERE k.tenant_id = c.tenant_id
           AND k.campaign_id = c.id AND k.status IN ('pending', 'calling', 'retry_scheduled'))
       RETURNING id`,
      [this.tenantId, campaignId, now],
    );
    return rows.length > 0;
  }

  /** Contacts due for an attempt now: new ones in list order, then retries as they fell due. */
  async due(campaignId: string, now: Date, limit: number): Promise<DueContact[]> {
    if (limit <= 0) return [];
    const rows = await this.db.query<ContactRow>(
      `SELECT ${CONTACT_COLUMNS} FROM campaign_contacts
       WHERE tenant_id = $1 AND campaign_id = $2 AND (status = 'pending'
         OR (status = 'retry_scheduled' AND next_attempt_at <= $3))
       ORDER BY status = 'retry_scheduled', next_attempt_at, position LIMIT $4`,
      [this.tenantId, campaignId, now, limit],
    );
    return rows.map((row) =>
      compact({
        id: row.id,
        name: orUndefined(row.name),
        number: row.e164,
        variables: row.variables,
        attempts: row.attempts,
      }),
    );
  }

  /** The contacts with an attempt in progress, with how their calls stand. */
  async calling(campaignId: string): Promise<CallingContact[]> {
    const rows = await this.db.query<{
      id: string;
      attempts: number;
      current_call_id: string;
      status: 'active' | 'ended';
      phone_status: string | null;
      outcome: string | null;
      started_at: Date;
      ended_at: Date | null;
      room_name: string;
      participant_identity: string | null;
      turns: number | string;
    }>(
      `SELECT k.id, k.attempts, k.current_call_id, c.status, c.phone_status, c.outcome,
         c.started_at, c.ended_at, c.room_name, c.participant_identity,
         (SELECT count(*) FROM turns t WHERE t.tenant_id = c.tenant_id AND t.call_id = c.id)
           AS turns
       FROM campaign_contacts k JOIN calls c ON c.tenant_id = k.tenant_id
         AND c.id = k.current_call_id
       WHERE k.tenant_id = $1 AND k.campaign_id = $2 AND k.status = 'calling'`,
      [this.tenantId, campaignId],
    );
    return rows.map((row) => ({
      id: row.id,
      attempts: row.attempts,
      callId: row.current_call_id,
      call: compact({
        status: row.status,
        phoneStatus: orUndefined(row.phone_status),
        outcome: orUndefined(row.outcome),
        startedAt: iso(row.started_at),
        endedAt: isoOrUndefined(row.ended_at),
        roomName: row.room_name,
        participantIdentity: orUndefined(row.participant_identity),
        turns: Number(row.turns),
      }),
    }));
  }

  /** An attempt begins: the contact is `calling` with the attempt's call. */
  async beginAttempt(
    campaignId: string,
    contactId: string,
    callId: string,
    now: Date,
  ): Promise<void> {
    const [row] = await this.db.query<{ attempts: number }>(
      `UPDATE campaign_contacts SET status = 'calling', attempts = attempts + 1,
         current_call_id = $4, next_attempt_at = NULL, updated_at = $5
       WHERE tenant_id = $1 AND campaign_id = $2 AND id = $3
         AND status IN ('pending', 'retry_scheduled')
       RETURNING attempts`,
      [this.tenantId, campaignId, contactId, callId, now],
    );
    if (!row) throw new ConflictError(`contact '${contactId}' is not waiting for an attempt`);
    await this.db.query(
      `INSERT INTO campaign_attempts (tenant_id, call_id, campaign_id, contact_id, attempt,
         started_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [this.tenantId, callId, campaignId, contactId, row.attempts, now],
    );
  }

  /**
   * The attempt in progress ended with `outcome`; the contact becomes `status` (a retry is due
   * at `nextAttemptAt`).
   */
  async endAttempt(
    campaignId: string,
    contactId: string,
    outcome: AttemptOutcome,
    next: {
      status: 'completed' | 'retry_scheduled' | 'exhausted' | 'skipped';
      at?: Date;
      skipReason?: SkipReason;
    },
    now: Date,
  ): Promise<void> {
    const [row] = await this.db.query<{ call_id: string }>(
      `UPDATE campaign_contacts k SET status = $4, last_outcome = $5, next_attempt_at = $6,
         skip_reason = $7, current_call_id = NULL, updated_at = $8
       FROM campaign_contacts before
       WHERE k.tenant_id = $1 AND k.campaign_id = $2 AND k.id = $3 AND k.status = 'calling'
         AND before.tenant_id = k.tenant_id AND before.campaign_id = k.campaign_id
         AND before.id = k.id
       RETURNING before.current_call_id AS call_id`,
      [
        this.tenantId,
        campaignId,
        contactId,
        next.status,
        outcome,
        next.at ?? null,
        next.skipReason ?? null,
        now,
      ],
    );
    if (!row) return;
    await this.db.query(
      'UPDATE campaign_attempts SET outcome = $3 WHERE tenant_id = $1 AND call_id = $2',
      [this.tenantId, row.call_id, outcome],
    );
  }

  /** The contact is left out without an attempt (or another one), for `reason`. */
  async skip(campaignId: string, contactId: string, reason: SkipReason, now: Date): Promise<void> {
    await this.db.query(
      `UPDATE campaign_contacts SET status = 'skipped', skip_reason = $4, next_attempt_at = NULL,
         updated_at = $5
       WHERE tenant_id = $1 AND campaign_id = $2 AND id = $3
         AND status IN ('pending', 'retry_scheduled')`,
      [this.tenantId, campaignId, contactId, reason, now],
    );
  }

  /** The campaign's contacts in list order, each with its attempts. */
  async contacts(campaignId: string): Promise<CampaignContact[]> {
    await this.settings(campaignId);
    const rows = await this.db.query<ContactRow>(
      `SELECT ${CONTACT_COLUMNS} FROM campaign_contacts WHERE tenant_id = $1 AND campaign_id = $2
       ORDER BY position`,
      [this.tenantId, campaignId],
    );
    const attempts = await this.db.query<{
      contact_id: string;
      attempt: number;
      call_id: string;
      started_at: Date;
      outcome: AttemptOutcome | null;
      call_outcome: string | null;
    }>(
      `SELECT a.contact_id, a.attempt, a.call_id, a.started_at, a.outcome, c.outcome AS call_outcome
       FROM campaign_attempts a JOIN calls c ON c.tenant_id = a.tenant_id AND c.id = a.call_id
       WHERE a.tenant_id = $1 AND a.campaign_id = $2 ORDER BY a.attempt`,
      [this.tenantId, campaignId],
    );
    return rows.map((row) => {
      const own = attempts.filter((a) => a.contact_id === row.id);
      const last = own.at(-1);
      return compact({
        id: row.id,
        campaignId: row.campaign_id,
        name: orUndefined(row.name),
        number: row.e164,
        variables: row.variables,
        status: row.status,
        skipReason: orUndefined(row.skip_reason),
        attempts: own.map((a) =>
          compact({
            attempt: a.attempt,
            callId: a.call_id,
            startedAt: iso(a.started_at),
            outcome: orUndefined(a.outcome),
          }),
        ),
        nextAttemptAt: isoOrUndefined(row.next_attempt_at),
        lastOutcome: orUndefined(row.last_outcome),
        callOutcome: last?.outcome === 'answered' ? orUndefined(last.call_outcome) : undefined,
        updatedAt: iso(row.updated_at),
      });
    });
  }

  /** The campaign that dialled `callId`, and the contact, when one did. */
  async attemptOf(callId: string): Promise<CallCampaign | undefined> {
    const [row] = await this.db.query<{
      campaign_id: string;
      name: string;
      contact_id: string;
      attempt: number;
    }>(
      `SELECT a.campaign_id, c.name, a.contact_id, a.attempt FROM campaign_attempts a
       JOIN campaigns c ON c.tenant_id = a.tenant_id AND c.id = a.campaign_id
       WHERE a.tenant_id = $1 AND a.call_id = $2`,
      [this.tenantId, callId],
    );
    return (
      row && {
        campaignId: row.campaign_id,
        name: row.name,
        contactId: row.contact_id,
        attempt: row.attempt,
      }
    );
  }

  async stats(campaignId: string): Promise<CampaignStats> {
    const statuses = await this.db.query<{ status: ContactStatus; n: number | string }>(
      `SELECT status, count(*) AS n FROM campaign_contacts
       WHERE tenant_id = $1 AND campaign_id = $2 GROUP BY status`,
      [this.tenantId, campaignId],
    );
    const byStatus = Object.fromEntries(ContactStatusSchema.options.map((s) => [s, 0])) as Record<
      ContactStatus,
      number
    >;
    for (const row of statuses) byStatus[row.status] = Number(row.n);
    const [calls] = await this.db.query<Record<string, number | string | null>>(
      `SELECT count(*) AS attempts,
         count(*) FILTER (WHERE a.outcome = 'answered') AS answered,
         count(*) FILTER (WHERE c.lead_temperature = 'hot') AS hot,
         count(*) FILTER (WHERE c.lead_temperature = 'warm') AS warm,
         count(*) FILTER (WHERE c.lead_temperature = 'cold') AS cold,
         coalesce(sum(c.duration_ms), 0) AS ms, coalesce(sum(c.cost_usd), 0) AS cost,
         (SELECT count(*) FROM appointments p JOIN campaign_attempts b
            ON b.tenant_id = p.tenant_id AND b.call_id = p.call_id
          WHERE b.tenant_id = $1 AND b.campaign_id = $2 AND p.status = 'booked') AS booked
       FROM campaign_attempts a JOIN calls c ON c.tenant_id = a.tenant_id AND c.id = a.call_id
       WHERE a.tenant_id = $1 AND a.campaign_id = $2`,
      [this.tenantId, campaignId],
    );
    const n = (key: string) => Number(calls?.[key] ?? 0);
    return {
      contacts: Object.values(byStatus).reduce((a, b) => a + b, 0),
      byStatus,
      attempts: n('attempts'),
      answered: n('answered'),
      leads: { hot: n('hot'), warm: n('warm'), cold: n('cold') },
      appointmentsBooked: n('booked'),
      minutes: Math.round(n('ms') / 1000) / 60,
      costUsd: n('cost'),
    };
  }
}
