import type { Tenant } from '@parley/contracts';
import type { Queryable } from '../storage/database.js';
import { UNIQUE_VIOLATION, conflictOn, iso, newId } from '../storage/row-helpers.js';
import { TenantInputSchema, type TenantInput } from '../storage/schemas.js';
import { NotFoundError, parseInput } from '../domain-errors.js';

export type { Tenant };

interface TenantRow {
  id: string;
  slug: string;
  name: string;
  created_at: Date;
}

const COLUMNS = 'id, slug, name, created_at';

function toTenant(row: TenantRow): Tenant {
  return { id: row.id, slug: row.slug, name: row.name, createdAt: iso(row.created_at) };
}

/** Tenants: the accounts every other row belongs to. */
export class TenantRepo {
  constructor(private readonly db: Queryable) {}

  async create(input: TenantInput): Promise<Tenant> {
    const { slug, name } = parseInput(TenantInputSchema, input);
    const [row] = await conflictOn([UNIQUE_VIOLATION], `tenant '${slug}' already exists`, () =>
      this.db.query<TenantRow>(
        `INSERT INTO tenants (id, slug, name) VALUES ($1, $2, $3) RETURNING ${COLUMNS}`,
        [newId('ten'), slug, name],
      ),
    );
    if (!row) throw new Error('INSERT … RETURNING answered no row');
    return toTenant(row);
  }

  /** The tenant with this slug, created when missing (start-up seeding; safe to race). */
  async ensure(input: TenantInput): Promise<Tenant> {
    const { slug, name } = parseInput(TenantInputSchema, input);
    await this.db.query(
      'INSERT INTO tenants (id, slug, name) VALUES ($1, $2, $3) ON CONFLICT (slug) DO NOTHING',
      [newId('ten'), slug, name],
    );
    const tenant = await this.getBySlug(slug);
    if (!tenant) throw new Error(`tenant '${slug}' vanished while being ensured`);
    return tenant;
  }

  async get(id: string): Promise<Tenant | undefined> {
    const [row] = await this.db.query<TenantRow>(`SELECT ${COLUMNS} FROM tenants WHERE id = $1`, [
      id,
    ]);
    return row && toTenant(row);
  }

  async getBySlug(slug: string): Promise<Tenant | undefined> {
    const [row] = await this.db.query<TenantRow>(`SELECT ${COLUMNS} FROM tenants WHERE slug = $1`, [
      slug,
    ]);
    return row && toTenant(row);
  }

  async require(id: string): Promise<Tenant> {
    const tenant = await this.get(id);
    if (!tenant) throw new NotFoundError('not_found', `no tenant '${id}'`);
    return tenant;
  }

  async list(): Promise<Tenant[]> {
    const rows = await this.db.query<TenantRow>(`SELECT ${COLUMNS} FROM tenants ORDER BY slug`);
    return rows.map(toTenant);
  }
}
