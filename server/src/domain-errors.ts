/**
 * Errors of the domain: what the repositories and use cases throw when a rule is broken. Each
 * carries the stable `code` the API answers with; the HTTP error handler (`http/api-error.ts`)
 * alone maps them to a status and an error body, so nothing below the routes knows about HTTP.
 */
import type { z } from 'zod';
import type { ErrorCode } from '@parley/contracts';

/** A broken rule, with the stable code it is answered with. */
export class DomainError extends Error {
  override readonly name: string = 'DomainError';

  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The thing named does not exist (for this tenant): `not_found`, `persona_not_found`, … */
export class NotFoundError extends DomainError {
  override readonly name: string = 'NotFoundError';
}

/** The change contradicts what is stored (a duplicate id, an existing slug…). */
export class ConflictError extends DomainError {
  override readonly name: string = 'ConflictError';

  constructor(message: string) {
    super('conflict', message);
  }
}

/** A value that breaks its schema or a rule about its shape. */
export class InvalidInputError extends DomainError {
  override readonly name: string = 'InvalidInputError';

  constructor(message: string) {
    super('invalid_request', message);
  }
}

/**
 * Every agent worker is busy: the caller is told so at once and when to ask again, rather than
 * being put in a room no agent would enter.
 */
export class AtCapacityError extends DomainError {
  override readonly name: string = 'AtCapacityError';

  constructor(
    readonly retryAfterSeconds: number,
    message = 'all agents are busy; try again shortly',
  ) {
    super('at_capacity', message);
  }
}

/** Parses a value with its schema, or throws {@link InvalidInputError} naming the first bad field. */
export function parseInput<S extends z.ZodTypeAny>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw new InvalidInputError(`${where}${issue?.message ?? 'invalid body'}`);
}
