import type { ConsentReceipt } from '@parley/contracts';
import type { Queryable } from '../storage/database.js';
import {
  FOREIGN_KEY_VIOLATION,
  compact,
  iso,
  newId,
  orUndefined,
  sqlState,
} from '../storage/row-helpers.js';
import {
  ConsentInputSchema,
  SessionConsentInputSchema,
  type ConsentInput,
  type SessionConsentInput,
} from '../storage/schemas.js';
import { NotFoundError, parseInput } from '../domain-errors.js';

interface ConsentRow {
  id: string;
  call_id: string;
  text_version: string;
  text: string | null;
  accepted_at: Date;
  visitor_id: string | null;
  origin: string | null;
}

const COLUMNS = 'id, call_id, text_version, text, accepted_at, visitor_id, origin';

function toReceipt(row: ConsentRow): ConsentReceipt {
  return compact({
    id: row.id,
    callId: row.call_id,
    textVersion: row.text_version,
    text: orUndefined(row.text),
    acceptedAt: iso(row.accepted_at),
    visitorId: orUndefined(row.visitor_id),
    origin: orUndefined(row.origin),
  });
}

/**
 * Sessions whose room never got a call (the visitor closed the page) leave their consent
 * behind; a day is far past any token's lifetime, so older ones can go.
 */
const SESSION_CONSENT_TTL = "interval '1 day'";

/** One tenant's consent receipts, and the consent given in the widget before a call exists. */
export class ConsentRepo {
  constructor(
    private readonly db: Queryable,
    private readonly tenantId: string,
  ) {}

  /** Records acceptance; recording the same wording for the same call again keeps the first. */
  async record(callId: string, input: ConsentInput): Promise<ConsentReceipt> {
    const consent = parseInput(ConsentInputSchema, input);
    try {
      await this.db.query(
        `INSERT INTO consent_receipts (id, tenant_id, call_id, text_version, text, accepted_at,
           visitor_id, origin)
         VALUES ($1, $2, $3, $4, $5, coalesce($6::timestamptz, now()), $7, $8)
         ON CONFLICT (call_id, text_version) DO NOTHING`,
        [
          newId('cns'),
          this.tenantId,
          callId,
          consent.textVersion,
          consent.text ?? null,
          consent.acceptedAt ?? null,
          consent.visitorId ?? null,
          consent.origin ?? null,
        ],
      );
    } catch (err) {
      if (sqlState(err) === FOREIGN_KEY_VIOLATION) {
        throw new NotFoundError('not_found', `no call '${callId}'`);
      }
      throw err;
    }
    const [row] = await this.db.query<ConsentRow>(
      `SELECT ${COLUMNS} FROM consent_receipts
       WHERE tenant_id = $1 AND call_id = $2 AND text_version = $3`,
      [this.tenantId, callId, consent.textVersion],
    );
    // Another tenant's call with this id would conflict above yet stay invisible here.
    if (!row) throw new NotFoundError('not_found', `no call '${callId}'`);
    return toReceipt(row);
  }

  /**
   * Keeps the consent a visitor gave for the session of a room until the agent creates that
   * room's call (`attachSessionConsent`). A room is issued once, so a second one is ignored.
   */
  async rememberForSession(input: SessionConsentInput): Promise<void> {
    const consent = parseInput(SessionConsentInputSchema, input);
    await this.db.query(
      `DELETE FROM session_consents
       WHERE tenant_id = $1 AND created_at < now() - ${SESSION_CONSENT_TTL}`,
      [this.tenantId],
    );
    await this.db.query(
      `INSERT INTO session_consents (tenant_id, room_name, persona_id, text_version, text,
         accepted_at, visitor_id, origin)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
      [
        this.tenantId,
        consent.roomName,
        consent.personaId,
        consent.version,
        consent.text,
        consent.acceptedAt,
        consent.visitorId ?? null,
        consent.origin ?? null,
      ],
    );
  }

  /**
   * Turns the consent given for the session of `roomName` into the receipt of its call, in one
   * statement: the pending row goes only if the receipt is written. Safe to repeat.
   */
  async attachSessionConsent(callId: string, roomName: string): Promise<void> {
    await this.db.query(
      `WITH given AS (
         DELETE FROM session_consents WHERE tenant_id = $1 AND room_name = $3
         RETURNING tenant_id, text_version, text, accepted_at, visitor_id, origin)
       INSERT INTO consent_receipts (id, tenant_id, call_id, text_version, text, accepted_at,
         visitor_id, origin)
       SELECT $4, tenant_id, $2, text_version, text, accepted_at, visitor_id, origin FROM given
       ON CONFLICT (call_id, text_version) DO NOTHING`,
      [this.tenantId, callId, roomName, newId('cns')],
    );
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
