import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SERVER_DIR } from '../package-dir.js';
import type { Database, Queryable } from './queryable.js';

const MIGRATIONS_DIR = pathToFileURL(
  path.join(SERVER_DIR, 'src', 'storage', 'migrations') + path.sep,
);
const FILE_NAME = /^(\d{4})-[a-z0-9-]+\.sql$/;
/** Arbitrary, fixed: every Parley process migrating the same database takes this advisory lock. */
const MIGRATION_LOCK = 7_242_019;

export interface Migration {
  /** File name without `.sql`, e.g. `0001-initial`; the order is the number's. */
  id: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

/** The numbered SQL files of `migrations/`, in order. */
export async function loadMigrations(dir: URL = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = FILE_NAME.exec(file);
    if (!match) throw new MigrationError(`migration file '${file}' is not named NNNN-name.sql`);
    if (migrations.some((m) => m.id.slice(0, 4) === match[1])) {
      throw new MigrationError(`two migrations are numbered ${match[1]}`);
    }
    const sql = await readFile(new URL(file, dir), 'utf8');
    const checksum = createHash('sha256').update(sql).digest('hex');
    migrations.push({ id: file.slice(0, -'.sql'.length), sql, checksum });
  }
  return migrations;
}

interface AppliedRow {
  id: string;
  checksum: string;
}

/** Serialises migrators (several server replicas starting at once) until the transaction ends. */
async function lockAndRead(tx: Queryable): Promise<Map<string, string>> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
  await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id text PRIMARY KEY,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const rows = await tx.query<AppliedRow>('SELECT id, checksum FROM schema_migrations');
  return new Map(rows.map((r) => [r.id, r.checksum]));
}

/**
 * Applies every migration not yet recorded in `schema_migrations`, each in its own transaction, in
 * order. Safe to run on every start: applied ones are skipped, and an applied migration whose file
 * has since changed stops start-up instead of leaving the schema to guess.
 */
export async function migrate(
  db: Database,
  migrations?: Migration[],
): Promise<{ applied: string[] }> {
  const all = migrations ?? (await loadMigrations());
  const applied: string[] = [];
  for (const migration of all) {
    await db.transaction(async (tx) => {
      const done = await lockAndRead(tx);
      const checksum = done.get(migration.id);
      if (checksum !== undefined) {
        if (checksum !== migration.checksum) {
          throw new MigrationError(
            `migration ${migration.id} was changed after it was applied; add a new migration instead`,
          );
        }
        return;
      }
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (id, checksum) VALUES ($1, $2)', [
        migration.id,
        migration.checksum,
      ]);
      applied.push(migration.id);
    });
  }
  return { applied };
}
