import type { Database, Queryable } from './queryable.js';

/**
 * The database as seen from inside the open transaction `tx`, for repositories that take a
 * `Database`: their statements run in `tx`, and a transaction they begin is a savepoint in it,
 * rolled back alone when it throws and committed with `tx`. Its transactions run one at a time
 * (each repository awaits its statements); `tx` is ended by whoever began it, never by `close`.
 */
export function withinTransaction(tx: Queryable, kind: Database['kind']): Database {
  let savepoints = 0;
  const within: Database = {
    kind,
    query<T>(sql: string, params?: readonly unknown[]): Promise<T[]> {
      return tx.query<T>(sql, params);
    },
    exec(sql: string): Promise<void> {
      return tx.exec(sql);
    },
    async transaction<T>(fn: (inner: Queryable) => Promise<T>): Promise<T> {
      const savepoint = `nested_${++savepoints}`;
      await tx.exec(`SAVEPOINT ${savepoint}`);
      let result: T;
      try {
        result = await fn(within);
      } catch (err) {
        await tx.exec(`ROLLBACK TO SAVEPOINT ${savepoint}`);
        throw err;
      }
      await tx.exec(`RELEASE SAVEPOINT ${savepoint}`);
      return result;
    },
    close(): Promise<void> {
      return Promise.reject(new Error('a transaction is ended by whoever began it, not closed'));
    },
  };
  return within;
}
