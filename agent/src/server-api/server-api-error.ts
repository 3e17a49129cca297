import type { ErrorCode } from '@parley/contracts';

/**
 * How a request to the server failed: `server_unreachable` (network error, timeout, connection
 * cut mid-answer), `server_error` (5xx, 408, 429), `rejected` (any other 4xx) or `bad_answer`
 * (a 2xx whose body is not what the route answers).
 */
export type ServerFailure = 'server_unreachable' | 'server_error' | 'rejected' | 'bad_answer';

/** Statuses that say "try again later" rather than "this request is wrong". */
const RETRYABLE_4XX = new Set([408, 429]);

/** The failure an HTTP status that is not 2xx stands for. */
export function failureOfStatus(status: number): ServerFailure {
  return status >= 500 || RETRYABLE_4XX.has(status) ? 'server_error' : 'rejected';
}

/**
 * A request to the Parley server failed. `retryable` is true when sending the same request
 * again may succeed (unreachable, 5xx, 408, 429); any other 4xx and a bad answer are permanent.
 */
export class ServerApiError extends Error {
  override readonly name = 'ServerApiError';
  readonly retryable: boolean;
  constructor(
    readonly code: ServerFailure,
    message: string,
    /** The HTTP status, when the server answered. */
    readonly status?: number,
    /** The server's own error code (`not_found`, `slot_taken`, …), when it answered one. */
    readonly serverCode?: ErrorCode,
    /** The server's own error message, when it answered one. */
    readonly serverMessage?: string,
  ) {
    super(message);
    this.retryable = code === 'server_unreachable' || code === 'server_error';
  }
}
