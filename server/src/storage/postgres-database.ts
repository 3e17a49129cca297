import pg from 'pg';
import type { Database, Queryable } from './queryable.js';

function queryable(target: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
      const result = await target.query(sql, [...params]);
      return result.rows as T[];
    },
    async exec(sql: string): Promise<void> {
      // Without parameters node-postgres uses the simple protocol, which allows several statements.
      await target.query(sql);
    },
  };
}

/** A node-postgres pool; resolves once one connection has been made, so a bad URL fails here. */
export async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 10, application_name: 'parley' });
  let closing: Promise<void> | undefined;
  // An idle client losing its server must not crash the process; the next query reports it. After
  // close() the pool has already let go of its clients, and their late goodbyes are not news.
  pool.on('error', (err) => {
    if (!closing) console.error('[storage] idle PostgreSQL connection failed:', err.message);
  });
  try {
    const client = await pool.connect();
    client.release();
  } catch (err) {
    await pool.end();
    throw err;
  }
  return {
    kind: 'postgres',
    ...queryable(pool),
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let result: T;
      try {
        await client.query('BEGIN');
        result = await fn(queryable(client));
        await client.query('COMMIT');
      } catch (err) {
        try {
          await client.query('ROLLBACK');
          client.release();
        } catch (rollbackErr) {
          // A connection that cannot roll back is broken: destroy it rather than pool it.
          client.release(rollbackErr instanceof Error ? rollbackErr : true);
        }
        throw err;
      }
      client.release();
      return result;
    },
    close: () => (closing ??= pool.end()),
  };
}
