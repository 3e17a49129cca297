/** The two shapes of a list answer: `{ data }` (unpaged) and `{ items, nextCursor }` (paged). */
import { z, type ZodTypeAny } from 'zod';

/** `{ data: [...] }`, the answer of the unpaged lists. */
export const listOf = <S extends ZodTypeAny>(item: S) => z.object({ data: z.array(item) });

/** One page of a paged list; pass `nextCursor` back as `cursor` for the next. */
export const pageOf = <S extends ZodTypeAny>(item: S) =>
  z.object({ items: z.array(item), nextCursor: z.string().optional() });

/** One page of a paged list: the type of {@link pageOf}'s answer. */
export type Page<T> = { items: T[]; nextCursor?: string };
