import { z } from 'zod';

/** Stable, machine-readable error codes of the HTTP API. */
export const ERROR_STATUS = {
  invalid_request: 400,
  unauthorized: 401,
  origin_not_allowed: 403,
  forbidden: 403,
  /** The persona asks web visitors for consent and the session request brought none. */
  consent_required: 403,
  /** The number is on the tenant's do-not-call list. */
  do_not_call: 403,
  /** The tenant's dial policy allows no destination with this number's prefix. */
  destination_not_allowed: 403,
  /** The persona does not offer web visitors to continue on their phone. */
  continue_on_phone_disabled: 403,
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
  /** The tenant has no outbound trunk (or none of the name given) to dial through. */
  no_outbound_trunk: 409,
  /** The call has no phone number of the caller's (a web visitor who gave none). */
  no_caller_number: 409,
  payload_too_large: 413,
  outside_business_hours: 422,
  in_the_past: 422,
  /** Outbound calls are placed only in the persona's calling hours. */
  outside_calling_hours: 422,
  /** A trunk that would accept calls from anyone (no allowed addresses, no credentials). */
  unrestricted_trunk: 422,
  rate_limited: 429,
  /** The tenant already has as many phone calls as its dial policy allows. */
  phone_call_limit: 429,
  internal: 500,
  /** A webhook tool's endpoint could not be reached or answered with a non-2xx status. */
  tool_failed: 502,
  livekit_unavailable: 503,
  /**
   * Every agent worker is busy: no call can be served now. Comes with `Retry-After`, so the
   * visitor is told at once instead of joining a room no agent will enter.
   */
  at_capacity: 503,
  /** livekit-sip (or LiveKit's SIP API) could not be reached or refused the request. */
  sip_unavailable: 503,
  /** A webhook tool's endpoint did not answer within the tool's `timeoutMs`. */
  tool_timeout: 504,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** Body of every error answer: `{ error: { code, message } }`. */
export interface ApiErrorBody {
  error: { code: ErrorCode; message: string };
}

/**
 * Validates an error answer. `code` stays a string, so that an error code this build does not
 * know yet still parses; {@link isErrorCode} narrows it.
 */
export const ApiErrorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_STATUS, code);
}
