import type { Page } from '@parley/contracts';
import { randomBytes } from 'node:crypto';
import { ConflictError, InvalidInputError } from '../domain-errors.js';

/** A random, URL-safe id with a readable type prefix, e.g. `call_3Jc0…`. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(15).toString('base64url')}`;
}

/** Both drivers answer timestamptz as a Date; records carry ISO 8601 strings. */
export function iso(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

export function isoOrUndefined(value: Date | string | null): string | undefined {
  return value === null ? undefined : iso(value);
}

export function orUndefined<T>(value: T | null): T | undefined {
  return value === null ? undefined : value;
}

/** Drops absent optional fields, so records compare and serialise alike on both drivers. */
export function compact<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}

/** The SQLSTATE of a PostgreSQL error (both drivers put it on `code`). */
export function sqlState(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  return typeof err.code === 'string' ? err.code : undefined;
}

export const UNIQUE_VIOLATION = '23505';
export const FOREIGN_KEY_VIOLATION = '23503';
export const EXCLUSION_VIOLATION = '23P01';

/** Runs `fn`, turning the listed constraint violations into a `ConflictError`. */
export async function conflictOn<T>(
  states: readonly string[],
  message: string,
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const state = sqlState(err);
    if (state !== undefined && states.includes(state)) throw new ConflictError(message);
    throw err;
  }
}

/** `%text%` for ILIKE, with the caller's own `%`, `_` and `\` taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Keyset pagination position: newest first by time, then by id. */
export interface Cursor {
  at: string;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.at, cursor.id])).toString('base64url');
}

export function decodeCursor(raw: string): Cursor {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === 'string' &&
      typeof parsed[1] === 'string' &&
      !Number.isNaN(Date.parse(parsed[0]))
    ) {
      return { at: parsed[0], id: parsed[1] };
    }
  } catch {
    // Falls through to the one error below: a cursor is opaque to callers.
  }
  throw new InvalidInputError('cursor is not valid');
}

/** Given `limit + 1` rows, the page of `limit` and the cursor after its last item. */
export function toPage<T>(rows: T[], limit: number, position: (item: T) => Cursor): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return rows.length > limit && last
    ? { items, nextCursor: encodeCursor(position(last)) }
    : { items };
}
