import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../storage/database.js';
import { iso, isoOrUndefined, newId } from '../storage/row-helpers.js';
import { ApiKeyInputSchema, type ApiKeyInput, type ApiKeyScope } from '../storage/schemas.js';
import { NotFoundError, parseInput } from '../domain-errors.js';

/** Recognisable at a glance and by secret scanners: `parley_` then 43 base64url characters. */
export const API_KEY_PREFIX = 'parley_';
/** Characters of the key kept in clear for display ("parley_Xb3f9a…"): too few to guess the rest. */
const DISPLAY_CHARS = API_KEY_PREFIX.length + 6;

export interface ApiKey {
  id: string;
  tenantId: string;
  name: string;
  /** The first characters of the key, to tell keys apart in a list. */
  prefix: string;
  scopes: ApiKeyScope[];
  createdAt: string;
  revokedAt?: string;
}

/** Answer of `create`: the only time the plaintext key exists outside its owner's hands. */
export interface IssuedApiKey {
  apiKey: ApiKey;
  plaintext: string;
}

/** Who a presented key belongs to. */
export interface VerifiedApiKey {
  keyId: string;
  tenantId: string;
  scopes: ApiKeyScope[];
}

interface ApiKeyRow {
  id: string;
  tenant_id: string;
  name: string;
  prefix: string;
  scopes: ApiKeyScope[];
  created_at: Date;
  revoked_at: Date | null;
}

const COLUMNS = 'id, tenant_id, name, prefix, scopes, created_at, revoked_at';

function toApiKey(row: ApiKeyRow): ApiKey {
  const key: ApiKey = {
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes,
    createdAt: iso(row.created_at),
  };
  const revokedAt = isoOrUndefined(row.revoked_at);
  return revokedAt ? { ...key, revokedAt } : key;
}

/** Keys are 256-bit random, so one unsalted SHA-256 is enough to make a stolen table useless. */
export function hashApiKey(plaintext: string): string {
  return createHash('sha256').update(plaintext, 'utf8').digest('hex');
}

/**
 * Looks a presented key up by its hash. Answers nothing for unknown or revoked keys, without saying
 * which, so callers answer both with the same 401. The database compares SHA-256 digests, never
 * keys: however its comparison's timing varies, it tells at most how a digest of the attacker's
 * own choosing relates to a stored digest, and a digest does not lead back to a key. Revocation
 * is read on every request, so a revoked key is refused at once.
 */
export async function verifyApiKey(
  db: Queryable,
  plaintext: string,
): Promise<VerifiedApiKey | undefined> {
  if (!plaintext.startsWith(API_KEY_PREFIX) || plaintext.length > 200) return undefined;
  const [row] = await db.query<{ id: string; tenant_id: string; scopes: ApiKeyScope[] }>(
    'SELECT id, tenant_id, scopes FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL',
    [hashApiKey(plaintext)],
  );
  return row && { keyId: row.id, tenantId: row.tenant_id, scopes: row.scopes };
}

/** One tenant's API keys. */
export class ApiKeyRepo {
  constructor(
    private readonly db: Queryable,
    private readonly tenantId: string,
  ) {}

  async create(input: ApiKeyInput): Promise<IssuedApiKey> {
    const { name, scopes } = parseInput(ApiKeyInputSchema, input);
    const plaintext = API_KEY_PREFIX + randomBytes(32).toString('base64url');
    const [row] = await this.db.query<ApiKeyRow>(
      `INSERT INTO api_keys (id, tenant_id, name, prefix, key_hash, scopes)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [
        newId('key'),
        this.tenantId,
        name,
        plaintext.slice(0, DISPLAY_CHARS),
        hashApiKey(plaintext),
        [...new Set(scopes)],
      ],
    );
    if (!row) throw new Error('INSERT … RETURNING answered no row');
    return { apiKey: toApiKey(row), plaintext };
  }

  async list(): Promise<ApiKey[]> {
    const rows = await this.db.query<ApiKeyRow>(
      `SELECT ${COLUMNS} FROM api_keys WHERE tenant_id = $1 ORDER BY created_at, id`,
      [this.tenantId],
    );
    return rows.map(toApiKey);
  }

  /** Revokes a key at once; revoking it again keeps the first revocation time. */
  async revoke(id: string): Promise<ApiKey> {
    const [row] = await this.db.query<ApiKeyRow>(
      `UPDATE api_keys SET revoked_at = coalesce(revoked_at, now())
       WHERE tenant_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
      [this.tenantId, id],
    );
    if (!row) throw new NotFoundError('not_found', `no API key '${id}'`);
    return toApiKey(row);
  }
}
