import type { z } from 'zod';
import { ApiError } from './api-error.js';

/** Parses a payload with its schema, or throws `invalid_request` naming the first bad field. */
export function parseBody<S extends z.ZodTypeAny>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw new ApiError('invalid_request', `${where}${issue?.message ?? 'invalid body'}`);
}
