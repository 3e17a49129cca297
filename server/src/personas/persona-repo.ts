import {
  PersonaSchema,
  SavablePersonaSchema,
  type Persona,
  type PersonaInput,
  type PersonaVersion,
} from '@parley/contracts';
import { DEFAULT_PERSONA } from './default-persona.js';
import type { PersonaStore } from './persona-store.js';
import type { Database, Queryable } from '../storage/database.js';
import { UNIQUE_VIOLATION, conflictOn, iso } from '../storage/row-helpers.js';
import { NotFoundError, parseInput } from '../domain-errors.js';

interface VersionRow {
  persona_id: string;
  version: number;
  body: unknown;
  created_at: Date;
}

function toVersion(row: VersionRow): PersonaVersion {
  return {
    personaId: row.persona_id,
    version: row.version,
    persona: PersonaSchema.parse(row.body),
    createdAt: iso(row.created_at),
  };
}

/** No stored persona can have an id outside the schema's pattern (a NUL byte would even fail SQL). */
const isPersonaId = (id: string): boolean => PersonaSchema.shape.id.safeParse(id).success;

const CURRENT = `
  SELECT v.persona_id, v.version, v.body, v.created_at
  FROM personas p
  JOIN persona_versions v
    ON v.tenant_id = p.tenant_id AND v.persona_id = p.id AND v.version = p.current_version
  WHERE p.tenant_id = $1`;

/**
 * One tenant's personas, versioned: `create` saves version 1, every `replace` saves the next
 * version and makes it current; old versions stay readable for the calls that ran them.
 */
export class PersonaRepo implements PersonaStore {
  constructor(
    private readonly db: Database,
    private readonly tenantId: string,
  ) {}

  async get(id: string): Promise<Persona | undefined> {
    return (await this.current(id))?.persona;
  }

  /** The current version with its number. */
  async current(id: string): Promise<PersonaVersion | undefined> {
    if (!isPersonaId(id)) return undefined;
    const [row] = await this.db.query<VersionRow>(`${CURRENT} AND p.id = $2`, [this.tenantId, id]);
    return row && toVersion(row);
  }

  async list(): Promise<Persona[]> {
    const rows = await this.db.query<VersionRow>(`${CURRENT} ORDER BY p.id`, [this.tenantId]);
    return rows.map((row) => toVersion(row).persona);
  }

  async create(input: PersonaInput): Promise<Persona> {
    const persona = parseInput(SavablePersonaSchema, input);
    await conflictOn([UNIQUE_VIOLATION], `persona '${persona.id}' already exists`, () =>
      this.db.transaction(async (tx) => {
        await tx.query('INSERT INTO personas (tenant_id, id, current_version) VALUES ($1, $2, 1)', [
          this.tenantId,
          persona.id,
        ]);
        await this.insertVersion(tx, persona, 1);
      }),
    );
    return persona;
  }

  async replace(id: string, input: PersonaInput): Promise<Persona> {
    const persona = parseInput(SavablePersonaSchema, { ...input, id });
    await this.db.transaction(async (tx) => {
      // The row lock taken here orders concurrent edits: each gets its own version number.
      const [row] = await tx.query<{ current_version: number }>(
        `UPDATE personas SET current_version = current_version + 1, updated_at = now()
         WHERE tenant_id = $1 AND id = $2 RETURNING current_version`,
        [this.tenantId, id],
      );
      if (!row) throw new NotFoundError('persona_not_found', `no persona '${id}'`);
      await this.insertVersion(tx, persona, row.current_version);
    });
    return persona;
  }

  async getVersion(id: string, version: number): Promise<PersonaVersion | undefined> {
    if (!isPersonaId(id)) return undefined;
    const [row] = await this.db.query<VersionRow>(
      `SELECT persona_id, version, body, created_at FROM persona_versions
       WHERE tenant_id = $1 AND persona_id = $2 AND version = $3`,
      [this.tenantId, id, version],
    );
    return row && toVersion(row);
  }

  /** Every version, oldest first. */
  async versions(id: string): Promise<PersonaVersion[]> {
    if (!isPersonaId(id)) throw new NotFoundError('persona_not_found', `no persona '${id}'`);
    const rows = await this.db.query<VersionRow>(
      `SELECT persona_id, version, body, created_at FROM persona_versions
       WHERE tenant_id = $1 AND persona_id = $2 ORDER BY version`,
      [this.tenantId, id],
    );
    if (rows.length === 0) throw new NotFoundError('persona_not_found', `no persona '${id}'`);
    return rows.map(toVersion);
  }

  /** Saves the built-in `default` persona unless this tenant already has one. */
  async ensureDefault(): Promise<void> {
    const persona = PersonaSchema.parse(DEFAULT_PERSONA);
    await this.db.transaction(async (tx) => {
      const inserted = await tx.query(
        `INSERT INTO personas (tenant_id, id, current_version) VALUES ($1, $2, 1)
         ON CONFLICT DO NOTHING RETURNING id`,
        [this.tenantId, persona.id],
      );
      if (inserted.length > 0) await this.insertVersion(tx, persona, 1);
    });
  }

  private async insertVersion(tx: Queryable, persona: Persona, version: number): Promise<void> {
    await tx.query(
      `INSERT INTO persona_versions (tenant_id, persona_id, version, body)
       VALUES ($1, $2, $3, $4::jsonb)`,
      [this.tenantId, persona.id, version, JSON.stringify(persona)],
    );
  }
}
