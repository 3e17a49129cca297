import { ApiError } from '../api-error.js';
import { parseBody } from '../validate.js';
import type { Queryable } from './database.js';
import {
  FOREIGN_KEY_VIOLATION,
  compact,
  decodeCursor,
  iso,
  newId,
  orUndefined,
  sqlState,
  toPage,
  type Page,
} from './row-helpers.js';
import {
  LeadInputSchema,
  LeadListQuerySchema,
  type LeadInput,
  type LeadListQuery,
  type LeadTemperature,
} from './schemas.js';

export interface Lead {
  id: string;
  tenantId: string;
  callId?: string;
  name?: string;
  email?: string;
  phone?: string;
  company?: string;
  notes?: string;
  temperature?: LeadTemperature;
  data: Record<string, unknown>;
  createdAt: string;
}

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
    const lead = parseBody(LeadInputSchema, input);
    try {
      const [row] = await this.db.query<LeadRow>(
        `INSERT INTO leads (id, tenant_id, call_id, name, email, phone, company, notes,
           temperature, data)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb) RETURNING ${COLUMNS}`,
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
        ],
      );
      if (!row) throw new Error('INSERT … RETURNING answered no row');
      return toLead(row);
    } catch (err) {
      if (sqlState(err) === FOREIGN_KEY_VIOLATION) {
        throw new ApiError('not_found', `no call '${lead.callId}'`);
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

  /** Newest first, one page at a time. */
  async list(query: LeadListQuery = {}): Promise<Page<Lead>> {
    const q = parseBody(LeadListQuerySchema, query);
    const cursor = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
    const rows = await this.db.query<LeadRow>(
      `SELECT ${COLUMNS} FROM leads
       WHERE tenant_id = $1
         AND ($2::text IS NULL OR call_id = $2)
         AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::text))
       ORDER BY created_at DESC, id DESC LIMIT $5`,
      [this.tenantId, q.callId ?? null, cursor?.at ?? null, cursor?.id ?? null, q.limit + 1],
    );
    return toPage(rows.map(toLead), q.limit, (l) => ({ at: l.createdAt, id: l.id }));
  }
}
