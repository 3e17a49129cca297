import { ApiError } from '../api-error.js';
import type { PhoneNumber } from '../contracts/index.js';
import { parseBody } from '../validate.js';
import type { Queryable } from './database.js';
import { FOREIGN_KEY_VIOLATION, UNIQUE_VIOLATION, iso, sqlState } from './row-helpers.js';
import { PhoneNumberInputSchema, type PhoneNumberInput } from './schemas.js';

interface PhoneNumberRow {
  e164: string;
  tenant_id: string;
  persona_id: string;
  label: string | null;
  created_at: Date;
}

const COLUMNS = 'e164, tenant_id, persona_id, label, created_at';

function toPhoneNumber(row: PhoneNumberRow): PhoneNumber {
  const number: PhoneNumber = {
    e164: row.e164,
    tenantId: row.tenant_id,
    personaId: row.persona_id,
    createdAt: iso(row.created_at),
  };
  return row.label === null ? number : { ...number, label: row.label };
}

/** Which tenant and persona answer a dialed number (SIP routing); one owner per number. */
export async function resolvePhoneNumber(
  db: Queryable,
  e164: string,
): Promise<PhoneNumber | undefined> {
  const [row] = await db.query<PhoneNumberRow>(
    `SELECT ${COLUMNS} FROM phone_numbers WHERE e164 = $1`,
    [e164],
  );
  return row && toPhoneNumber(row);
}

/** One tenant's phone numbers and the persona each one reaches. */
export class PhoneNumberRepo {
  constructor(
    private readonly db: Queryable,
    private readonly tenantId: string,
  ) {}

  /** Adds a number, or points a number this tenant already has at another persona. */
  async assign(input: PhoneNumberInput): Promise<PhoneNumber> {
    const { e164, personaId, label } = parseBody(PhoneNumberInputSchema, input);
    try {
      const [row] = await this.db.query<PhoneNumberRow>(
        `INSERT INTO phone_numbers (e164, tenant_id, persona_id, label) VALUES ($1, $2, $3, $4)
         ON CONFLICT (e164) DO UPDATE SET persona_id = excluded.persona_id, label = excluded.label
         WHERE phone_numbers.tenant_id = excluded.tenant_id
         RETURNING ${COLUMNS}`,
        [e164, this.tenantId, personaId, label ?? null],
      );
      // No row: the number exists and belongs to another tenant.
      if (!row) throw new ApiError('conflict', `${e164} is already in use`);
      return toPhoneNumber(row);
    } catch (err) {
      if (sqlState(err) === FOREIGN_KEY_VIOLATION) {
        throw new ApiError('persona_not_found', `no persona '${personaId}'`);
      }
      if (sqlState(err) === UNIQUE_VIOLATION) {
        throw new ApiError('conflict', `${e164} is already in use`);
      }
      throw err;
    }
  }

  async get(e164: string): Promise<PhoneNumber | undefined> {
    const [row] = await this.db.query<PhoneNumberRow>(
      `SELECT ${COLUMNS} FROM phone_numbers WHERE tenant_id = $1 AND e164 = $2`,
      [this.tenantId, e164],
    );
    return row && toPhoneNumber(row);
  }

  async list(): Promise<PhoneNumber[]> {
    const rows = await this.db.query<PhoneNumberRow>(
      `SELECT ${COLUMNS} FROM phone_numbers WHERE tenant_id = $1 ORDER BY e164`,
      [this.tenantId],
    );
    return rows.map(toPhoneNumber);
  }

  async remove(e164: string): Promise<void> {
    const rows = await this.db.query(
      'DELETE FROM phone_numbers WHERE tenant_id = $1 AND e164 = $2 RETURNING e164',
      [this.tenantId, e164],
    );
    if (rows.length === 0) throw new ApiError('not_found', `no phone number ${e164}`);
  }
}
