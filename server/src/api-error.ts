import type { ErrorRequestHandler } from 'express';
import { ERROR_STATUS, type ApiErrorBody, type ErrorCode } from './contracts/index.js';

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

interface BodyParserError {
  type: string;
  status?: number;
}

function isBodyParserError(err: unknown): err is BodyParserError {
  return typeof err === 'object' && err !== null && 'type' in err && typeof err.type === 'string';
}

function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (isBodyParserError(err)) {
    if (err.type === 'entity.parse.failed')
      return new ApiError('invalid_request', 'body is not valid JSON');
    if (err.type === 'entity.too.large')
      return new ApiError('payload_too_large', 'body is too large');
    if (err.status !== undefined && err.status >= 400 && err.status < 500) {
      return new ApiError('invalid_request', `unreadable body (${err.type})`);
    }
  }
  return new ApiError('internal', 'internal error');
}

/** The one place where anything thrown becomes `{ error: { code, message } }`. */
export const errorHandler: ErrorRequestHandler = (err, _req, res, _next) => {
  const apiError = toApiError(err);
  if (apiError.code === 'internal') console.error('unhandled error', err);
  const body: ApiErrorBody = { error: { code: apiError.code, message: apiError.message } };
  res.status(apiError.status).json(body);
};
