import type { ErrorRequestHandler, Response } from 'express';
import { ERROR_STATUS, type ApiErrorBody, type ErrorCode } from '@parley/contracts';
import { AtCapacityError, DomainError } from '../domain-errors.js';

/** An error the API answers with a stable code and its HTTP status. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.status = ERROR_STATUS[code];
  }
}

/** Errors raised by Express itself (body parsers, path decoding) carry an HTTP status. */
interface HttpLikeError {
  status?: unknown;
  type?: unknown;
  code?: unknown;
}

/** SQLSTATE class 22, "data exception": a value the database cannot hold (e.g. a NUL byte). */
const DATA_EXCEPTION = /^22[0-9A-Z]{3}$/;

function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof DomainError) return new ApiError(err.code, err.message);
  const { status, type, code } = (
    typeof err === 'object' && err !== null ? err : {}
  ) as HttpLikeError;
  if (typeof code === 'string' && DATA_EXCEPTION.test(code)) {
    return new ApiError('invalid_request', 'a value in the request cannot be stored');
  }
  if (type === 'entity.parse.failed')
    return new ApiError('invalid_request', 'body is not valid JSON');
  if (status === 413) return new ApiError('payload_too_large', 'body is too large');
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const what = typeof type === 'string' ? type : 'request';
    return new ApiError('invalid_request', `malformed ${what}`);
  }
  return new ApiError('internal', 'internal error');
}

/** What an error answer said, and what was thrown to cause it. */
export interface AnsweredError {
  code: ErrorCode;
  cause: unknown;
}

/**
 * The error a response answered with, if any: the request log reports it (with the cause of an
 * `internal` one) and the error counter counts its code.
 */
export function answeredError(res: Response): AnsweredError | undefined {
  return (res.locals as { answeredError?: AnsweredError }).answeredError;
}

/** The one place where anything thrown becomes `{ error: { code, message } }`. */
export const errorHandler: ErrorRequestHandler = (err, _req, res, _next) => {
  const apiError = toApiError(err);
  res.locals.answeredError = { code: apiError.code, cause: err } satisfies AnsweredError;
  if (err instanceof AtCapacityError) res.set('Retry-After', String(err.retryAfterSeconds));
  const body: ApiErrorBody = { error: { code: apiError.code, message: apiError.message } };
  res.status(apiError.status).json(body);
};
