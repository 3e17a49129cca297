import {
  DEFAULT_DIAL_POLICY,
  DialPolicySchema,
  type DialPolicy,
  type DoNotCallEntry,
} from '@parley/contracts';
import type { Queryable } from '../../storage/database.js';
import { iso } from '../../storage/row-helpers.js';
import { NotFoundError, parseInput } from '../../domain-errors.js';

interface DoNotCallRow {
  e164: string;
  reason: string | null;
  created_at: Date;
}

function toEntry(row: DoNotCallRow): DoNotCallEntry {
  return {
    e164: row.e164,
    ...(row.reason !== null && { reason: row.reason }),
    createdAt: iso(row.created_at),
  };
}

/**
 * One tenant's rules for dialling out: its dial policy (destinations, calls at once), its
 * do-not-call list, and how many phone calls it has right now.
 */
export class DialPolicyRepo {
  constructor(
    private readonly db: Queryable,
    private readonly tenantId: string,
  ) {}

  /** The tenant's policy; the default (nothing may be dialled, 5 calls) until it sets one. */
  async policy(): Promise<DialPolicy> {
    const [row] = await this.db.query<{
      allowed_prefixes: string[];
      max_concurrent_phone_calls: number;
    }>(
      `SELECT allowed_prefixes, max_concurrent_phone_calls FROM dial_policies
       WHERE tenant_id = $1`,
      [this.tenantId],
    );
    if (!row) return { ...DEFAULT_DIAL_POLICY, allowedPrefixes: [] };
    return {
      allowedPrefixes: row.allowed_prefixes,
      maxConcurrentPhoneCalls: row.max_concurrent_phone_calls,
    };
  }

  async setPolicy(input: DialPolicy): Promise<DialPolicy> {
    const policy = parseInput(DialPolicySchema, input);
    const prefixes = [...new Set(policy.allowedPrefixes)].sort();
    await this.db.query(
      `INSERT INTO dial_policies (tenant_id, allowed_prefixes, max_concurrent_phone_calls)
       VALUES ($1, $2::text[], $3)
       ON CONFLICT (tenant_id) DO UPDATE SET allowed_prefixes = excluded.allowed_prefixes,
         max_concurrent_phone_calls = excluded.max_concurrent_phone_calls, updated_at = now()`,
      [this.tenantId, prefixes, policy.maxConcurrentPhoneCalls],
    );
    return { allowedPrefixes: prefixes, maxConcurrentPhoneCalls: policy.maxConcurrentPhoneCalls };
  }

  /** Adds the number to the do-not-call list (again: replaces its reason). */
  async addDoNotCall(e164: string, reason?: string): Promise<DoNotCallEntry> {
    const [row] = await this.db.query<DoNotCallRow>(
      `INSERT INTO do_not_call (tenant_id, e164, reason) VALUES ($1, $2, $3)
       ON CONFLICT (tenant_id, e164) DO UPDATE SET reason = excluded.reason
       RETURNING e164, reason, created_at`,
      [this.tenantId, e164, reason ?? null],
    );
    if (!row) throw new Error('INSERT … RETURNING answered no row');
    return toEntry(row);
  }

  async isDoNotCall(e164: string): Promise<boolean> {
    const rows = await this.db.query(
      'SELECT 1 FROM do_not_call WHERE tenant_id = $1 AND e164 = $2',
      [this.tenantId, e164],
    );
    return rows.length > 0;
  }

  async listDoNotCall(): Promise<DoNotCallEntry[]> {
    const rows = await this.db.query<DoNotCallRow>(
      'SELECT e164, reason, created_at FROM do_not_call WHERE tenant_id = $1 ORDER BY e164',
      [this.tenantId],
    );
    return rows.map(toEntry);
  }

  async removeDoNotCall(e164: string): Promise<void> {
    const rows = await this.db.query(
      'DELETE FROM do_not_call WHERE tenant_id = $1 AND e164 = $2 RETURNING e164',
      [this.tenantId, e164],
    );
    if (rows.length === 0)
      throw new NotFoundError('not_found', `${e164} is not on the do-not-call list`);
  }

  /**
   * The tenant's calls on the phone network right now: phone calls (inbound and outbound) not yet
   * ended, and web calls with a phone leg dialling or answered (continued on the visitor's phone).
   */
  async activePhoneCalls(): Promise<number> {
    const [row] = await this.db.query<{ n: string | number }>(
      `SELECT count(*) AS n FROM calls c
       WHERE c.tenant_id = $1 AND c.status = 'active' AND (c.channel = 'phone' OR EXISTS (
         SELECT 1 FROM call_legs l WHERE l.tenant_id = c.tenant_id AND l.call_id = c.id
           AND l.kind = 'phone' AND l.status IN ('dialing', 'ringing', 'answered')))`,
      [this.tenantId],
    );
    return Number(row?.n ?? 0);
  }
}
