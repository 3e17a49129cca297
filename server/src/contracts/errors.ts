/** Stable, machine-readable error codes of the HTTP API. */
export const ERROR_STATUS = {
  invalid_request: 400,
  unauthorized: 401,
  origin_not_allowed: 403,
  forbidden: 403,
  persona_not_found: 404,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  internal: 500,
  livekit_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** Body of every error answer: `{ error: { code, message } }`. */
export interface ApiErrorBody {
  error: { code: ErrorCode; message: string };
}
