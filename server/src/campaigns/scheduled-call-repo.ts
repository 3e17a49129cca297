import type { ScheduledCall, ScheduledCallStatus } from '@parley/contracts';
import type { Queryable } from '../storage/database.js';
import { compact, iso, newId, orUndefined } from '../storage/row-helpers.js';
import { ConflictError, NotFoundError } from '../domain-errors.js';

interface ScheduledCallRow {
  id: string;
  tenant_id: string;
  kind: ScheduledCall['kind'];
  persona_id: string;
  e164: string;
  run_at: Date;
  status: ScheduledCallStatus;
  from_number: string | null;
  trunk: string | null;
  variables: Record<string, string | number | boolean>;
  ring_timeout_seconds: number;
  call_id: string | null;
  error: string | null;
  appointment_id: string | null;
  requested_in_call_id: string | null;
  created_at: Date;
}

const COLUMNS = `id, tenant_id, kind, persona_id, e164, run_at, status, from_number, trunk,
  variables, ring_timeout_seconds, call_id, error, appointment_id, requested_in_call_id,
  created_at`;

/** What a scheduled call is dialled with (the runner reads it). */
export interface ScheduledDial {
  id: string;
  personaId: string;
  to: string;
  from?: string;
  trunk?: string;
  variables: Record<string, string | number | boolean>;
  ringTimeoutSeconds: number;
}

export interface NewScheduledCall extends Omit<ScheduledDial, 'id'> {
  kind: ScheduledCall['kind'];
  at: Date;
  appointmentId?: string;
  requestedInCallId?: string;
}

function toScheduledCall(row: ScheduledCallRow): ScheduledCall {
  return compact({
    id: row.id,
    tenantId: row.tenant_id,
    kind: row.kind,
    personaId: row.persona_id,
    to: row.e164,
    at: iso(row.run_at),
    status: row.status,
    variables: row.variables,
    callId: orUndefined(row.call_id),
    error: orUndefined(row.error),
    appointmentId: orUndefined(row.appointment_id),
    requestedInCallId: orUndefined(row.requested_in_call_id),
    createdAt: iso(row.created_at),
  });
}

/**
 * One tenant's scheduled outbound calls: asked through the API, appointment reminders and
 * callbacks. Each is dialled once, by whichever server replica finds it due first.
 */
export class ScheduledCallRepo {
  constructor(
    private readonly db: Queryable,
    private readonly tenantId: string,
  ) {}

  async create(input: NewScheduledCall, now: Date): Promise<ScheduledCall> {
    const [row] = await this.db.query<ScheduledCallRow>(
      `INSERT INTO scheduled_calls (tenant_id, id, kind, persona_id, e164, run_at, status,
         from_number, trunk, variables, ring_timeout_seconds, appointment_id,
         requested_in_call_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'scheduled', $7, $8, $9::jsonb, $10, $11, $12, $13)
       RETURNING ${COLUMNS}`,
      [
        this.tenantId,
        newId('sch'),
        input.kind,
        input.personaId,
        input.to,
        input.at,
        input.from ?? null,
        input.trunk ?? null,
        JSON.stringify(input.variables),
        input.ringTimeoutSeconds,
        input.appointmentId ?? null,
        input.requestedInCallId ?? null,
        now,
      ],
    );
    if (!row) throw new Error('INSERT … RETURNING answered no row');
    return toScheduledCall(row);
  }

  async get(id: string): Promise<ScheduledCall | undefined> {
    const [row] = await this.db.query<ScheduledCallRow>(
      `SELECT ${COLUMNS} FROM scheduled_calls WHERE tenant_id = $1 AND id = $2`,
      [this.tenantId, id],
    );
    return row && toScheduledCall(row);
  }

  /** Every scheduled call, the next due first, then those done, latest first. */
  async list(): Promise<ScheduledCall[]> {
    const rows = await this.db.query<ScheduledCallRow>(
      `SELECT ${COLUMNS} FROM scheduled_calls WHERE tenant_id = $1
       ORDER BY status <> 'scheduled', CASE WHEN status = 'scheduled' THEN run_at END,
         run_at DESC, id`,
      [this.tenantId],
    );
    return rows.map(toScheduledCall);
  }

  /** Cancels a call still waiting for its time; one dialled already cannot be. */
  async cancel(id: string): Promise<ScheduledCall> {
    const [row] = await this.db.query<ScheduledCallRow>(
      `UPDATE scheduled_calls SET status = 'cancelled'
       WHERE tenant_id = $1 AND id = $2 AND status = 'scheduled' RETURNING ${COLUMNS}`,
      [this.tenantId, id],
    );
    if (row) return toScheduledCall(row);
    const existing = await this.get(id);
    if (!existing) throw new NotFoundError('not_found', `no scheduled call '${id}'`);
    throw new ConflictError(`scheduled call '${id}' is ${existing.status}`);
  }

  /** The call backs asked for in call `callId` that still wait for their time. */
  async waitingCallbacks(callId: string): Promise<ScheduledCall[]> {
    const rows = await this.db.query<ScheduledCallRow>(
      `SELECT ${COLUMNS} FROM scheduled_calls
       WHERE tenant_id = $1 AND kind = 'callback' AND requested_in_call_id = $2
         AND status = 'scheduled'
       ORDER BY run_at, id`,
      [this.tenantId, callId],
    );
    return rows.map(toScheduledCall);
  }

  /** Cancels the reminders of an appointment still waiting; answers how many. */
  async cancelForAppointment(appointmentId: string): Promise<number> {
    const rows = await this.db.query(
      `UPDATE scheduled_calls SET status = 'cancelled'
       WHERE tenant_id = $1 AND appointment_id = $2 AND status = 'scheduled' RETURNING id`,
      [this.tenantId, appointmentId],
    );
    return rows.length;
  }

  /** The calls due at `now`, oldest first. */
  async due(now: Date, limit: number): Promise<ScheduledDial[]> {
    const rows = await this.db.query<ScheduledCallRow>(
      `SELECT ${COLUMNS} FROM scheduled_calls
       WHERE tenant_id = $1 AND status = 'scheduled' AND run_at <= $2
       ORDER BY run_at, id LIMIT $3`,
      [this.tenantId, now, limit],
    );
    return rows.map((row) =>
      compact({
        id: row.id,
        personaId: row.persona_id,
        to: row.e164,
        from: orUndefined(row.from_number),
        trunk: orUndefined(row.trunk),
        variables: row.variables,
        ringTimeoutSeconds: row.ring_timeout_seconds,
      }),
    );
  }

  /** The call was dialled as `callId`. */
  async placed(id: string, callId: string): Promise<void> {
    await this.db.query(
      `UPDATE scheduled_calls SET status = 'placed', call_id = $3
       WHERE tenant_id = $1 AND id = $2 AND status = 'scheduled'`,
      [this.tenantId, id, callId],
    );
  }

  /** The call could not be placed, for `error` (a code such as `do_not_call`). */
  async failed(id: string, error: string): Promise<void> {
    await this.db.query(
      `UPDATE scheduled_calls SET status = 'failed', error = $3
       WHERE tenant_id = $1 AND id = $2 AND status = 'scheduled'`,
      [this.tenantId, id, error],
    );
  }
}

/** Tenants with a running campaign or a scheduled call due at `now`, across tenants. */
export async function tenantsWithOutboundWork(db: Queryable, now: Date): Promise<string[]> {
  const rows = await db.query<{ tenant_id: string }>(
    `SELECT tenant_id FROM campaigns WHERE status = 'running'
     UNION SELECT tenant_id FROM scheduled_calls WHERE status = 'scheduled' AND run_at <= $1`,
    [now],
  );
  return rows.map((row) => row.tenant_id).sort();
}
