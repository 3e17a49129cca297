import { LeadListQuerySchema, type LeadListQuery } from '@parley/contracts';
import type { Lead } from '@parley/contracts';
import type { Queryable } from '../storage/database.js';
import {
  FOREIGN_KEY_VIOLATION,
  compact,
  decodeCursor,
  iso,
  newId,
  orUndefined,
  sqlState,
  toPage,
} from '../storage/row-helpers.js';
import { LeadInputSchema, type LeadInput } from '../storage/schemas.js';
import { type Page, IdempotencyKeySchema, type LeadTemperature } from '@parley/contracts';
import { NotFoundError, parseInput } from '../domain-errors.js';

interface LeadRow {
  id: string;
  tenant_id: string;
  call_id: string | null;
  name: string | null;
  email: string | null;
  phone: string | null;
  company: string | null;
  notes: string | null;
  temperature: LeadTemperature | null;
  data: Record<string, unknown>;
  created_at: Date;
}

const COLUMNS =
  'id, tenant_id, call_id, name, email, phone, company, notes, temperature, data, created_at';
function toLead(row: LeadRow): Lead {
  return compact({
    id: row.id,
    tenantId: row.tenant_id,
    callId: orUndefined(row.call_id),
    name: orUndefined(row.name),
    email: orUndefined(row.email),
    phone: orUndefined(row.phone),
    company: orUndefined(row.company),
    notes: orUndefined(row.notes),
    temperature: orUndefined(row.temperature),
    data: row.data,
    createdAt: iso(row.created_at),
  });
}

/** One tenant's leads: contacts the agent captured, with the call they came from. */
export class LeadRepo {
  constructor(
    private readonly db: Queryable,
    private readonly tenantId: string,
  ) {}

  async create(input: LeadInput): Promise<Lead> {
    const lead = await this.insert(input, null);
    if (!lead) throw new Error('INSERT … RETURNING answered no row');
    return lead;
  }

  /**
   * Stores a lead the agent captured on a call. The agent's key makes this idempotent: a
   * capture with a key already used on the call stores nothing and answers the first lead.
   */
  async capture(
    callId: string,
    key: string,
    input: LeadInput,
  ): Promise<{ lead: Lead; created: boolean }> {
    const idempotencyKey = parseInput(IdempotencyKeySchema, key);
    const lead = await this.insert({ ...input, callId }, idempotencyKey);
    if (lead) return { lead, created: true };
    const [row] = await this.db.query<LeadRow>(
      `SELECT ${COLUMNS} FROM leads WHERE tenant_id = $1 AND call_id = $2 AND idempotency_key = $3`,
      [this.tenantId, callId, idempotencyKey],
    );
    if (!row) throw new Error(`lead '${idempotencyKey}' of call '${callId}' vanished`);
    return { lead: toLead(row), created: false };
  }

  /** Nothing when a lead with this key is already stored for the call. */
  private async insert(input: LeadInput, key: string | null): Promise<Lead | undefined> {
    const lead = parseInput(LeadInputSchema, input);
    try {
      const [row] = await this.db.query<LeadRow>(
        `INSERT INTO leads (id, tenant_id, call_id, name, email, phone, company, notes,
           temperature, data, idempotency_key)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11)
         ON CONFLICT (tenant_id, call_id, idempotency_key) DO NOTHING
         RETURNING ${COLUMNS}`,
        [
          newId('lead'),
          this.tenantId,
          lead.callId ?? null,
          lead.name ?? null,
          lead.email ?? null,
          lead.phone ?? null,
          lead.company ?? null,
          lead.notes ?? null,
          lead.temperature ?? null,
          JSON.stringify(lead.data),
          key,
        ],
      );
      return row && toLead(row);
    } catch (err) {
      if (sqlState(err) === FOREIGN_KEY_VIOLATION) {
        throw new NotFoundError('not_found', `no call '${lead.callId}'`);
      }
      throw err;
    }
  }

  async get(id: string): Promise<Lead | undefined> {
    const [row] = await this.db.query<LeadRow>(
      `SELECT ${COLUMNS} FROM leads WHERE tenant_id = $1 AND id = $2`,
      [this.tenantId, id],
    );
    return row && toLead(row);
  }

  /** Newest first, filtered, one page at a time (pass `nextCursor` back as `cursor`). */
  async list(query: LeadListQuery = {}): Promise<Page<Lead>> {
    const q = parseInput(LeadListQuerySchema, query);
    const cursor = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
    const rows = await this.db.query<LeadRow>(
      `SELECT ${COLUMNS} FROM leads
       WHERE tenant_id = $1
         AND ($2::text IS NULL OR call_id = $2)
         AND ($3::text IS NULL OR temperature = $3)
         AND ($4::timestamptz IS NULL OR created_at >= $4)
         AND ($5::timestamptz IS NULL OR created_at < $5)
         AND ($6::timestamptz IS NULL OR (created_at, id) < ($6::timestamptz, $7::text))
       ORDER BY created_at DESC, id DESC LIMIT $8`,
      [
        this.tenantId,
        q.callId ?? null,
        q.temperature ?? null,
        q.from ?? null,
        q.to ?? null,
        cursor?.at ?? null,
        cursor?.id ?? null,
        q.limit + 1,
      ],
    );
    return toPage(rows.map(toLead), q.limit, (l) => ({ at: l.createdAt, id: l.id }));
  }
}
