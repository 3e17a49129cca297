import type { OutboundTrunk } from '@parley/contracts';
import type { Queryable } from '../../storage/database.js';
import { iso } from '../../storage/row-helpers.js';
import { NotFoundError } from '../../domain-errors.js';

interface OutboundTrunkRow {
  tenant_id: string;
  name: string;
  address: string;
  numbers: string[];
  transport: OutboundTrunk['transport'];
  auth_username: string | null;
  auth_secret: string | null;
  livekit_trunk_id: string;
  created_at: Date;
}

const COLUMNS =
  'tenant_id, name, address, numbers, transport, auth_username, auth_secret, livekit_trunk_id, created_at';

/** A trunk as stored: what the API answers, plus where its password is kept. */
export interface StoredOutboundTrunk extends OutboundTrunk {
  /** The tenant secret holding the digest password, if the trunk has one. */
  authSecret?: string;
}

function toTrunk(row: OutboundTrunkRow): StoredOutboundTrunk {
  return {
    name: row.name,
    tenantId: row.tenant_id,
    address: row.address,
    numbers: row.numbers,
    transport: row.transport,
    ...(row.auth_username !== null && { authUsername: row.auth_username }),
    ...(row.auth_secret !== null && { authSecret: row.auth_secret }),
    trunkId: row.livekit_trunk_id,
    createdAt: iso(row.created_at),
  };
}

/** The API's view of a trunk: never where its password is. */
export function publicTrunk({ authSecret: _secret, ...trunk }: StoredOutboundTrunk): OutboundTrunk {
  return trunk;
}

/** One tenant's outbound trunks: the carriers Parley dials through, with LiveKit's trunk ids. */
export class OutboundTrunkRepo {
  constructor(
    private readonly db: Queryable,
    private readonly tenantId: string,
  ) {}

  /** Stores the trunk under its name, replacing one of the same name. */
  async put(
    trunk: Omit<StoredOutboundTrunk, 'tenantId' | 'createdAt'>,
  ): Promise<StoredOutboundTrunk> {
    const [row] = await this.db.query<OutboundTrunkRow>(
      `INSERT INTO outbound_trunks (tenant_id, name, address, numbers, transport, auth_username,
         auth_secret, livekit_trunk_id)
       VALUES ($1, $2, $3, $4::text[], $5, $6, $7, $8)
       ON CONFLICT (tenant_id, name) DO UPDATE SET address = excluded.address,
         numbers = excluded.numbers, transport = excluded.transport,
         auth_username = excluded.auth_username, auth_secret = excluded.auth_secret,
         livekit_trunk_id = excluded.livekit_trunk_id
       RETURNING ${COLUMNS}`,
      [
        this.tenantId,
        trunk.name,
        trunk.address,
        trunk.numbers,
        trunk.transport,
        trunk.authUsername ?? null,
        trunk.authSecret ?? null,
        trunk.trunkId,
      ],
    );
    if (!row) throw new Error('INSERT … RETURNING answered no row');
    return toTrunk(row);
  }

  async get(name: string): Promise<StoredOutboundTrunk | undefined> {
    const [row] = await this.db.query<OutboundTrunkRow>(
      `SELECT ${COLUMNS} FROM outbound_trunks WHERE tenant_id = $1 AND name = $2`,
      [this.tenantId, name],
    );
    return row && toTrunk(row);
  }

  /** By name; the first is the tenant's default trunk. */
  async list(): Promise<StoredOutboundTrunk[]> {
    const rows = await this.db.query<OutboundTrunkRow>(
      `SELECT ${COLUMNS} FROM outbound_trunks WHERE tenant_id = $1 ORDER BY name`,
      [this.tenantId],
    );
    return rows.map(toTrunk);
  }

  /** Removes the trunk and answers what it was. */
  async remove(name: string): Promise<StoredOutboundTrunk> {
    const [row] = await this.db.query<OutboundTrunkRow>(
      `DELETE FROM outbound_trunks WHERE tenant_id = $1 AND name = $2 RETURNING ${COLUMNS}`,
      [this.tenantId, name],
    );
    if (!row) throw new NotFoundError('not_found', `no outbound trunk '${name}'`);
    return toTrunk(row);
  }
}
