import { AppointmentListQuerySchema, type AppointmentListQuery } from '@parley/contracts';
import type { Appointment } from '@parley/contracts';
import type { Queryable } from '../storage/database.js';
import {
  EXCLUSION_VIOLATION,
  FOREIGN_KEY_VIOLATION,
  compact,
  iso,
  isoOrUndefined,
  newId,
  orUndefined,
  sqlState,
} from '../storage/row-helpers.js';
import { AppointmentInputSchema, type AppointmentInput } from '../storage/schemas.js';
import { IdempotencyKeySchema } from '@parley/contracts';
import { DomainError, NotFoundError, parseInput } from '../domain-errors.js';

interface AppointmentRow {
  id: string;
  tenant_id: string;
  starts_at: Date;
  ends_at: Date;
  name: string;
  email: string | null;
  phone: string | null;
  notes: string | null;
  call_id: string | null;
  lead_id: string | null;
  status: 'booked' | 'cancelled';
  created_at: Date;
  cancelled_at: Date | null;
}

const COLUMNS = `id, tenant_id, starts_at, ends_at, name, email, phone, notes, call_id, lead_id,
  status, created_at, cancelled_at`;

function toAppointment(row: AppointmentRow): Appointment {
  return compact({
    id: row.id,
    tenantId: row.tenant_id,
    startsAt: iso(row.starts_at),
    endsAt: iso(row.ends_at),
    name: row.name,
    email: orUndefined(row.email),
    phone: orUndefined(row.phone),
    notes: orUndefined(row.notes),
    callId: orUndefined(row.call_id),
    leadId: orUndefined(row.lead_id),
    status: row.status,
    createdAt: iso(row.created_at),
    cancelledAt: isoOrUndefined(row.cancelled_at),
  });
}

/** Thrown when a booking overlaps one already booked; a `DomainError` `slot_taken`. */
export class SlotTakenError extends DomainError {
  readonly startsAt: string;
  readonly endsAt: string;

  constructor(startsAt: string, endsAt: string) {
    super('slot_taken', `the slot ${startsAt} – ${endsAt} overlaps a booked appointment`);
    this.startsAt = startsAt;
    this.endsAt = endsAt;
  }
}

/**
 * One tenant's appointments. The database itself refuses overlapping bookings (an exclusion
 * constraint), so two calls racing for the same slot cannot both win.
 */
export class AppointmentRepo {
  constructor(
    private readonly db: Queryable,
    private readonly tenantId: string,
  ) {}

  /**
   * Books the slot. With a `key` (the agent's, per tool call) a booking whose key was already
   * used on the same call books nothing: it answers nothing here, and `findByKey` has it.
   */
  async book(input: AppointmentInput): Promise<Appointment>;
  async book(input: AppointmentInput, key: string): Promise<Appointment | undefined>;
  async book(input: AppointmentInput, key?: string): Promise<Appointment | undefined> {
    const a = parseInput(AppointmentInputSchema, input);
    try {
      const [row] = await this.db.query<AppointmentRow>(
        `INSERT INTO appointments (id, tenant_id, starts_at, ends_at, name, email, phone, notes,
           call_id, lead_id, idempotency_key)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (tenant_id, call_id, idempotency_key) DO NOTHING
         RETURNING ${COLUMNS}`,
        [
          newId('apt'),
          this.tenantId,
          a.startsAt,
          a.endsAt,
          a.name,
          a.email ?? null,
          a.phone ?? null,
          a.notes ?? null,
          a.callId ?? null,
          a.leadId ?? null,
          key === undefined ? null : parseInput(IdempotencyKeySchema, key),
        ],
      );
      if (!row && key === undefined) throw new Error('INSERT … RETURNING answered no row');
      return row && toAppointment(row);
    } catch (err) {
      if (sqlState(err) === EXCLUSION_VIOLATION) {
        throw new SlotTakenError(iso(a.startsAt), iso(a.endsAt));
      }
      if (sqlState(err) === FOREIGN_KEY_VIOLATION) {
        throw new NotFoundError(
          'not_found',
          'the call or lead named by the appointment does not exist',
        );
      }
      throw err;
    }
  }

  /** The appointment booked on a call with the agent's `key`, if any. */
  async findByKey(callId: string, key: string): Promise<Appointment | undefined> {
    const [row] = await this.db.query<AppointmentRow>(
      `SELECT ${COLUMNS} FROM appointments
       WHERE tenant_id = $1 AND call_id = $2 AND idempotency_key = $3`,
      [this.tenantId, callId, key],
    );
    return row && toAppointment(row);
  }

  /** Frees the slot; cancelling twice keeps the first cancellation. */
  async cancel(id: string): Promise<Appointment> {
    const [row] = await this.db.query<AppointmentRow>(
      `UPDATE appointments SET status = 'cancelled', cancelled_at = coalesce(cancelled_at, now())
       WHERE tenant_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
      [this.tenantId, id],
    );
    if (!row) throw new NotFoundError('not_found', `no appointment '${id}'`);
    return toAppointment(row);
  }

  async get(id: string): Promise<Appointment | undefined> {
    const [row] = await this.db.query<AppointmentRow>(
      `SELECT ${COLUMNS} FROM appointments WHERE tenant_id = $1 AND id = $2`,
      [this.tenantId, id],
    );
    return row && toAppointment(row);
  }

  /** Appointments overlapping [from, to), soonest first, at most 1000. */
  async list(query: AppointmentListQuery = {}): Promise<Appointment[]> {
    const q = parseInput(AppointmentListQuerySchema, query);
    const rows = await this.db.query<AppointmentRow>(
      `SELECT ${COLUMNS} FROM appointments
       WHERE tenant_id = $1
         AND ($2::timestamptz IS NULL OR ends_at > $2::timestamptz)
         AND ($3::timestamptz IS NULL OR starts_at < $3::timestamptz)
         AND ($4::text IS NULL OR status = $4)
         AND ($5::text IS NULL OR call_id = $5)
       ORDER BY starts_at, id LIMIT 1000`,
      [this.tenantId, q.from ?? null, q.to ?? null, q.status ?? null, q.callId ?? null],
    );
    return rows.map(toAppointment);
  }
}
