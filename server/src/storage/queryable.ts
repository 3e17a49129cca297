/**
 * What repositories run SQL on: the one seam between them and a SQL engine (`database.ts` opens
 * PGlite or PostgreSQL behind it). Apart from `database.ts`, so that its adapters need not import
 * the module that loads them.
 */

/** Something that runs SQL: the database itself or an open transaction. */
export interface Queryable {
  /** One statement with `$1…$n` parameters; answers the rows. */
  query<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
