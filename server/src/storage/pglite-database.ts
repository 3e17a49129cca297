import { mkdir } from 'node:fs/promises';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import type { Database, Queryable } from './queryable.js';

/** Contrib extensions the migrations create; PGlite must load them when it starts. */
export const PGLITE_EXTENSIONS = { btree_gist };

function queryable(target: PGlite | Transaction): Queryable {
  return {
    async query<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
      const result = await target.query<T>(sql, [...params]);
      return result.rows;
    },
    async exec(sql: string): Promise<void> {
      await target.exec(sql);
    },
  };
}

/**
 * The embedded database. PGlite runs one connection, so it serialises queries and transactions by
 * itself; a transaction's callback must use the handle it is given, never the database.
 */
export async function openPglite(dataDir: string): Promise<Database> {
  await mkdir(dataDir, { recursive: true });
  const pg = await PGlite.create({ dataDir, extensions: PGLITE_EXTENSIONS });
  let closing: Promise<void> | undefined;
  return {
    kind: 'pglite',
    ...queryable(pg),
    transaction: (fn) => pg.transaction((tx) => fn(queryable(tx))),
    close: () => (closing ??= pg.close()),
  };
}
