import { ApiError } from '../api-error.js';
import { parseBody } from '../validate.js';
import type { Queryable } from './database.js';
import { FOREIGN_KEY_VIOLATION, iso, newId, sqlState } from './row-helpers.js';
import { ConsentInputSchema, type ConsentInput } from './schemas.js';

/** Proof that the caller heard and accepted a given wording of the disclosure. */
export interface ConsentReceipt {
  id: string;
  callId: string;
  textVersion: string;
  acceptedAt: string;
}

interface ConsentRow {
  id: string;
  call_id: string;
  text_version: string;
  accepted_at: Date;
}

const COLUMNS = 'id, call_id, text_version, accepted_at';

function toReceipt(row: ConsentRow): ConsentReceipt {
  return {
    id: row.id,
    callId: row.call_id,
    textVersion: row.text_version,
    acceptedAt: iso(row.accepted_at),
  };
}

/** One tenant's consent receipts. */
export class ConsentRepo {
  constructor(
    private readonly db: Queryable,
    private readonly tenantId: string,
  ) {}

  /** Records acceptance; recording the same wording for the same call again keeps the first. */
  async record(callId: string, input: ConsentInput): Promise<ConsentReceipt> {
    const consent = parseBody(ConsentInputSchema, input);
    try {
      await this.db.query(
        `INSERT INTO consent_receipts (id, tenant_id, call_id, text_version, accepted_at)
         VALUES ($1, $2, $3, $4, coalesce($5::timestamptz, now()))
         ON CONFLICT (call_id, text_version) DO NOTHING`,
        [newId('cns'), this.tenantId, callId, consent.textVersion, consent.acceptedAt ?? null],
      );
    } catch (err) {
      if (sqlState(err) === FOREIGN_KEY_VIOLATION) {
        throw new ApiError('not_found', `no call '${callId}'`);
      }
      throw err;
    }
    const [row] = await this.db.query<ConsentRow>(
      `SELECT ${COLUMNS} FROM consent_receipts
       WHERE tenant_id = $1 AND call_id = $2 AND text_version = $3`,
      [this.tenantId, callId, consent.textVersion],
    );
    // Another tenant's call with this id would conflict above yet stay invisible here.
    if (!row) throw new ApiError('not_found', `no call '${callId}'`);
    return toReceipt(row);
  }

  async listForCall(callId: string): Promise<ConsentReceipt[]> {
    const rows = await this.db.query<ConsentRow>(
      `SELECT ${COLUMNS} FROM consent_receipts WHERE tenant_id = $1 AND call_id = $2
       ORDER BY accepted_at, id`,
      [this.tenantId, callId],
    );
    return rows.map(toReceipt);
  }
}
