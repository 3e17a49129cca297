/** Stable, machine-readable error codes of the HTTP API. */
export const ERROR_STATUS = {
  invalid_request: 400,
  unauthorized: 401,
  origin_not_allowed: 403,
  forbidden: 403,
  /** The persona asks web visitors for consent and the session request brought none. */
  consent_required: 403,
  persona_not_found: 404,
  not_found: 404,
  tool_not_found: 404,
  conflict: 409,
  /** The consent the visitor accepted is not the persona's current wording. */
  consent_outdated: 409,
  /** The requested appointment overlaps one already booked. */
  slot_taken: 409,
  /** The persona has no business hours, so nothing can be offered or booked. */
  no_business_hours: 409,
  /** A webhook tool's header names a secret the tenant has not stored. */
  secret_missing: 409,
  payload_too_large: 413,
  outside_business_hours: 422,
  in_the_past: 422,
  rate_limited: 429,
  internal: 500,
  /** A webhook tool's endpoint could not be reached or answered with a non-2xx status. */
  tool_failed: 502,
  livekit_unavailable: 503,
  /** A webhook tool's endpoint did not answer within the tool's `timeoutMs`. */
  tool_timeout: 504,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** Body of every error answer: `{ error: { code, message } }`. */
export interface ApiErrorBody {
  error: { code: ErrorCode; message: string };
}
