/**
 * The one seam between repositories and a SQL engine. Two adapters implement it: PGlite (Postgres
 * compiled to WebAssembly, embedded, data on disk) by default and node-postgres when a
 * `DATABASE_URL` is given — so one schema and one migration set serve both.
 */

import type { Database } from './queryable.js';

export type { Database, Queryable } from './queryable.js';

export interface OpenDatabaseOptions {
  /** A `postgresql://` URL: use that server. */
  url?: string;
  /** Without a URL: where the embedded database keeps its files (created when missing). */
  dataDir?: string;
  /** The embedded database's buffer pool, as PostgreSQL writes sizes (default `32MB`). */
  pgliteSharedBuffers?: string;
  /** Apply pending migrations (default true). */
  migrate?: boolean;
}

/** Opens the configured database and brings its schema up to date. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  let db: Database;
  if (options.url) {
    const { openPostgres } = await import('./postgres-database.js');
    db = await openPostgres(options.url);
  } else if (options.dataDir) {
    const { openPglite } = await import('./pglite-database.js');
    db = await openPglite(options.dataDir, options.pgliteSharedBuffers);
  } else {
    throw new Error('openDatabase needs a url (PostgreSQL) or a dataDir (embedded)');
  }
  if (options.migrate !== false) {
    const { migrate } = await import('./migrate.js');
    try {
      await migrate(db);
    } catch (err) {
      await db.close();
      throw err;
    }
  }
  return db;
}
