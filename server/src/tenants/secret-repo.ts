import { randomBytes } from 'node:crypto';
import { PutSecretRequestSchema, SecretNameSchema, type SecretSummary } from '@parley/contracts';
import type { Queryable } from '../storage/database.js';
import { iso } from '../storage/row-helpers.js';
import { NotFoundError, parseInput } from '../domain-errors.js';
import type { SecretCipher } from './secret-cipher.js';
import { resealAll } from './secret-resealing.js';

interface SummaryRow {
  name: string;
  created_at: Date;
  updated_at: Date;
}

function toSummary(row: SummaryRow): SecretSummary {
  return { name: row.name, createdAt: iso(row.created_at), updatedAt: iso(row.updated_at) };
}

/** The row a secret's sealed value is bound to: it opens nowhere else. */
function rowOf(tenantId: string, name: string): string[] {
  return ['secrets', tenantId, name];
}

/**
 * One tenant's secrets: values webhook tools use in headers and sign with, stored sealed with
 * `cipher`. Only `reveal` and `revealOrCreate` read a value, for the server's own outgoing
 * requests; nothing else does.
 */
export class SecretRepo {
  constructor(
    private readonly db: Queryable,
    private readonly tenantId: string,
    private readonly cipher: SecretCipher,
  ) {}

  /** Stores the value under `name`, replacing any value it had. */
  async put(name: string, value: string): Promise<SecretSummary> {
    const valid = parseInput(SecretNameSchema, name);
    const plain = parseInput(PutSecretRequestSchema, { value }).value;
    const [row] = await this.db.query<SummaryRow>(
      `INSERT INTO secrets (tenant_id, name, value) VALUES ($1, $2, $3)
       ON CONFLICT (tenant_id, name) DO UPDATE SET value = excluded.value, updated_at = now()
       RETURNING name, created_at, updated_at`,
      [this.tenantId, valid, this.cipher.seal(plain, rowOf(this.tenantId, valid))],
    );
    if (!row) throw new Error('INSERT … RETURNING answered no row');
    return toSummary(row);
  }

  /** Names and times only, by name. */
  async list(): Promise<SecretSummary[]> {
    const rows = await this.db.query<SummaryRow>(
      'SELECT name, created_at, updated_at FROM secrets WHERE tenant_id = $1 ORDER BY name',
      [this.tenantId],
    );
    return rows.map(toSummary);
  }

  async remove(name: string): Promise<void> {
    const rows = await this.db.query(
      'DELETE FROM secrets WHERE tenant_id = $1 AND name = $2 RETURNING name',
      [this.tenantId, name],
    );
    if (rows.length === 0) throw new NotFoundError('not_found', `no secret '${name}'`);
  }

  /**
   * The stored value, or nothing when the tenant has no secret of that name. Throws
   * `SecretCipherError` when the stored value does not open with the configured keys.
   */
  async reveal(name: string): Promise<string | undefined> {
    const [row] = await this.db.query<{ value: string }>(
      'SELECT value FROM secrets WHERE tenant_id = $1 AND name = $2',
      [this.tenantId, name],
    );
    return row && this.cipher.open(row.value, rowOf(this.tenantId, name));
  }

  /**
   * The stored value, generating a random one first when there is none, so a webhook tool's
   * requests are never sent unsigned. Values are never answered, so a site owner who verifies
   * signatures stores their own key with `put`.
   */
  async revealOrCreate(name: string): Promise<string> {
    const valid = parseInput(SecretNameSchema, name);
    const generated = `whsec_${randomBytes(24).toString('base64url')}`;
    await this.db.query(
      `INSERT INTO secrets (tenant_id, name, value) VALUES ($1, $2, $3)
       ON CONFLICT (tenant_id, name) DO NOTHING`,
      [this.tenantId, valid, this.cipher.seal(generated, rowOf(this.tenantId, valid))],
    );
    const value = await this.reveal(name);
    if (value === undefined) throw new Error(`secret '${name}' vanished while being created`);
    return value;
  }
}

/**
 * Seals again, with the current key, every tenant's secrets that are not sealed with it: values
 * stored before secrets were sealed, and values sealed with a key in `PARLEY_SECRETS_OLD_KEYS`.
 * Answers how many were sealed.
 */
export async function resealSecrets(db: Queryable, cipher: SecretCipher): Promise<number> {
  const rows = await db.query<{ tenant_id: string; name: string; value: string }>(
    `SELECT tenant_id, name, value FROM secrets WHERE value NOT LIKE $1 || '%'
     ORDER BY tenant_id, name`,
    [cipher.currentPrefix],
  );
  return resealAll(
    cipher,
    rows.map((r) => ({
      label: `secret ${r.tenant_id}/${r.name}`,
      row: rowOf(r.tenant_id, r.name),
      where: [r.tenant_id, r.name],
      stored: r.value,
    })),
    async ({ where, stored }, sealed) => {
      const updated = await db.query(
        `UPDATE secrets SET value = $4 WHERE tenant_id = $1 AND name = $2 AND value = $3
         RETURNING name`,
        [...where, stored, sealed],
      );
      return updated.length > 0;
    },
  );
}
