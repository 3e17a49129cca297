import type { PhoneNumber } from '@parley/contracts';
import type { Queryable } from '../storage/database.js';
import { FOREIGN_KEY_VIOLATION, UNIQUE_VIOLATION, iso, sqlState } from '../storage/row-helpers.js';
import { PhoneNumberInputSchema, type PhoneNumberInput } from '../storage/schemas.js';
import { NotFoundError, ConflictError, parseInput } from '../domain-errors.js';

interface PhoneNumberRow {
  e164: string;
  tenant_id: string;
  persona_id: string;
  label: string | null;
  created_at: Date;
  trunk_id: string | null;
  dispatch_rule_id: string | null;
  allowed_addresses: string[];
  auth_username: string | null;
  auth_secret: string | null;
}

const COLUMNS = `e164, tenant_id, persona_id, label, created_at, trunk_id, dispatch_rule_id,
  allowed_addresses, auth_username, auth_secret`;

/** A number as stored, with what provisioning needs and the API never answers. */
export interface StoredPhoneNumber {
  number: PhoneNumber;
  /** The number's own carrier addresses (empty: the configured default applies). */
  allowedAddresses: string[];
  authUsername?: string;
  /** The tenant secret holding the digest password. */
  authSecret?: string;
  /** LiveKit's ids from the last provisioning. */
  trunkId?: string;
  dispatchRuleId?: string;
}

/** Who may reach a number, and LiveKit's ids for it, as the provisioning left them. */
export interface PhoneNumberAccess {
  allowedAddresses: readonly string[];
  authUsername?: string;
  authSecret?: string;
  trunkId?: string;
  dispatchRuleId?: string;
}

function toStored(row: PhoneNumberRow): StoredPhoneNumber {
  const number: PhoneNumber = {
    e164: row.e164,
    tenantId: row.tenant_id,
    personaId: row.persona_id,
    createdAt: iso(row.created_at),
  };
  if (row.label !== null) number.label = row.label;
  if (row.allowed_addresses.length > 0) number.allowedAddresses = row.allowed_addresses;
  if (row.auth_username !== null) number.authUsername = row.auth_username;
  const stored: StoredPhoneNumber = { number, allowedAddresses: row.allowed_addresses };
  if (row.auth_username !== null) stored.authUsername = row.auth_username;
  if (row.auth_secret !== null) stored.authSecret = row.auth_secret;
  if (row.trunk_id !== null) stored.trunkId = row.trunk_id;
  if (row.dispatch_rule_id !== null) stored.dispatchRuleId = row.dispatch_rule_id;
  return stored;
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
  return row && toStored(row).number;
}

/** Every tenant's numbers: what start-up reconciles LiveKit against. */
export async function allPhoneNumbers(db: Queryable): Promise<StoredPhoneNumber[]> {
  const rows = await db.query<PhoneNumberRow>(
    `SELECT ${COLUMNS} FROM phone_numbers ORDER BY tenant_id, e164`,
  );
  return rows.map(toStored);
}

/** One tenant's phone numbers and the persona each one reaches. */
export class PhoneNumberRepo {
  constructor(
    private readonly db: Queryable,
    private readonly tenantId: string,
  ) {}

  /**
   * Adds a number, or points a number this tenant already has at another persona. With `access`
   * (provisioning), also who may reach it and LiveKit's ids; without, those stay as they were.
   */
  async assign(input: PhoneNumberInput, access?: PhoneNumberAccess): Promise<PhoneNumber> {
    const { e164, personaId, label } = parseInput(PhoneNumberInputSchema, input);
    const keep = access === undefined;
    try {
      const [row] = await this.db.query<PhoneNumberRow>(
        `INSERT INTO phone_numbers AS n (e164, tenant_id, persona_id, label, allowed_addresses,
           auth_username, auth_secret, trunk_id, dispatch_rule_id)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9)
         ON CONFLICT (e164) DO UPDATE SET persona_id = excluded.persona_id, label = excluded.label,
           allowed_addresses = CASE WHEN $10::boolean THEN n.allowed_addresses ELSE excluded.allowed_addresses END,
           auth_username = CASE WHEN $10::boolean THEN n.auth_username ELSE excluded.auth_username END,
           auth_secret = CASE WHEN $10::boolean THEN n.auth_secret ELSE excluded.auth_secret END,
           trunk_id = CASE WHEN $10::boolean THEN n.trunk_id ELSE excluded.trunk_id END,
           dispatch_rule_id = CASE WHEN $10::boolean THEN n.dispatch_rule_id ELSE excluded.dispatch_rule_id END
         WHERE n.tenant_id = excluded.tenant_id
         RETURNING ${COLUMNS}`,
        [
          e164,
          this.tenantId,
          personaId,
          label ?? null,
          JSON.stringify(access?.allowedAddresses ?? []),
          access?.authUsername ?? null,
          access?.authSecret ?? null,
          access?.trunkId ?? null,
          access?.dispatchRuleId ?? null,
          keep,
        ],
      );
      // No row: the number exists and belongs to another tenant.
      if (!row) throw new ConflictError(`${e164} is already in use`);
      return toStored(row).number;
    } catch (err) {
      if (sqlState(err) === FOREIGN_KEY_VIOLATION) {
        throw new NotFoundError('persona_not_found', `no persona '${personaId}'`);
      }
      if (sqlState(err) === UNIQUE_VIOLATION) {
        throw new ConflictError(`${e164} is already in use`);
      }
      throw err;
    }
  }

  /** Records LiveKit's ids after a repair recreated (or, with nulls, removed) its objects. */
  async setProvisioning(
    e164: string,
    trunkId: string | null,
    dispatchRuleId: string | null,
  ): Promise<void> {
    await this.db.query(
      `UPDATE phone_numbers SET trunk_id = $3, dispatch_rule_id = $4
       WHERE tenant_id = $1 AND e164 = $2`,
      [this.tenantId, e164, trunkId, dispatchRuleId],
    );
  }

  /** Whether another tenant holds the number (checked before anything is provisioned). */
  async takenElsewhere(e164: string): Promise<boolean> {
    const rows = await this.db.query(
      'SELECT 1 FROM phone_numbers WHERE e164 = $1 AND tenant_id <> $2',
      [e164, this.tenantId],
    );
    return rows.length > 0;
  }

  async get(e164: string): Promise<PhoneNumber | undefined> {
    return (await this.getStored(e164))?.number;
  }

  async getStored(e164: string): Promise<StoredPhoneNumber | undefined> {
    const [row] = await this.db.query<PhoneNumberRow>(
      `SELECT ${COLUMNS} FROM phone_numbers WHERE tenant_id = $1 AND e164 = $2`,
      [this.tenantId, e164],
    );
    return row && toStored(row);
  }

  async list(): Promise<PhoneNumber[]> {
    return (await this.listStored()).map((s) => s.number);
  }

  async listStored(): Promise<StoredPhoneNumber[]> {
    const rows = await this.db.query<PhoneNumberRow>(
      `SELECT ${COLUMNS} FROM phone_numbers WHERE tenant_id = $1 ORDER BY e164`,
      [this.tenantId],
    );
    return rows.map(toStored);
  }

  async remove(e164: string): Promise<void> {
    const rows = await this.db.query(
      'DELETE FROM phone_numbers WHERE tenant_id = $1 AND e164 = $2 RETURNING e164',
      [this.tenantId, e164],
    );
    if (rows.length === 0) throw new NotFoundError('not_found', `no phone number ${e164}`);
  }
}
