import type { CallClose, CallInput, TurnInput } from '@parley/contracts';
import { z } from 'zod';

export type CallApiErrorCode = 'server_unreachable' | 'server_error' | 'rejected' | 'bad_answer';

/**
 * A call-record request failed. `retryable` is true when sending the same request again may
 * succeed (network errors, timeouts, 5xx, 408, 429); any other 4xx is permanent.
 */
export class CallApiError extends Error {
  override readonly name = 'CallApiError';
  readonly retryable: boolean;
  constructor(
    readonly code: CallApiErrorCode,
    message: string,
    readonly status?: number,
    /** The server's own error code (`not_found`, `conflict`, …), when it answered one. */
    readonly serverCode?: string,
    /** The server's own error message, when it answered one. */
    readonly serverMessage?: string,
  ) {
    super(message);
    this.retryable = code === 'server_unreachable' || code === 'server_error';
  }
}

/** One request of a call record, in the order the server must see them. */
export type CallOp =
  | { type: 'create'; call: CallInput }
  | { type: 'turn'; key: string; turn: TurnInput }
  | { type: 'close'; close: CallClose };

export interface CallApiOptions {
  serverUrl: string;
  agentKey: string;
  /** Per request; a request that takes longer counts as unreachable (retryable). */
  timeoutMs: number;
  fetch: typeof fetch;
}

/** One request to the server's `/internal` routes. */
export interface InternalRequest {
  method: 'GET' | 'POST';
  /** Path and query, e.g. `/internal/calls/42/availability?days=7`. */
  route: string;
  /** Sent as JSON (POST only). */
  body?: unknown;
  /** Abandons the request (it then counts as unreachable). */
  signal?: AbortSignal;
}

const CreatedCallSchema = z.object({ id: z.string().min(1) });
const ErrorBodySchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

/** Statuses that say "try again later" rather than "this request is wrong". */
const RETRYABLE_4XX = new Set([408, 429]);

/** The server's `/internal/calls` routes, with the agent's service credential. */
export class CallApi {
  readonly #opts: CallApiOptions;

  constructor(opts: Pick<CallApiOptions, 'serverUrl' | 'agentKey'> & Partial<CallApiOptions>) {
    this.#opts = { timeoutMs: 5_000, fetch: globalThis.fetch, ...opts };
  }

  /**
   * Sends one op. `callId` is required for turns and closes; a create answers the new call's
   * id. `signal` abandons the request (it then counts as unreachable). Throws
   * {@link CallApiError}.
   */
  async send(op: CallOp, callId: string | undefined, signal?: AbortSignal): Promise<string> {
    if (op.type === 'create') {
      const body = await this.#post('/internal/calls', op.call, signal);
      const parsed = CreatedCallSchema.safeParse(body);
      if (!parsed.success) {
        throw new CallApiError('bad_answer', 'POST /internal/calls did not answer a call id');
      }
      return parsed.data.id;
    }
    if (callId === undefined) {
      throw new CallApiError('rejected', `cannot send a ${op.type} without a call id`);
    }
    const base = `/internal/calls/${encodeURIComponent(callId)}`;
    if (op.type === 'turn') {
      await this.#post(`${base}/turns`, { key: op.key, turn: op.turn }, signal);
    } else await this.#post(`${base}/close`, op.close, signal);
    return callId;
  }

  #post(route: string, payload: unknown, signal?: AbortSignal): Promise<unknown> {
    return requestInternal(this.#opts, { method: 'POST', route, body: payload, signal });
  }
}

/**
 * Sends one request with the agent's service credential and answers the parsed JSON body.
 * Throws {@link CallApiError}: unreachable (network, timeout), server error (5xx, 408, 429) or
 * rejected (any other 4xx), with the server's own error code and message when it gave them.
 */
export async function requestInternal(
  opts: CallApiOptions,
  req: InternalRequest,
): Promise<unknown> {
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const what = `${req.method} ${req.route}`;
  const serverUrl = opts.serverUrl.replace(/\/+$/, '');
  let res: Response;
  let text: string;
  try {
    res = await opts.fetch(`${serverUrl}${req.route}`, {
      method: req.method,
      headers: {
        authorization: `Bearer ${opts.agentKey}`,
        accept: 'application/json',
        ...(req.method === 'POST' ? { 'content-type': 'application/json' } : {}),
      },
      body: req.method === 'POST' ? JSON.stringify(req.body) : undefined,
      signal: req.signal ? AbortSignal.any([req.signal, timeout]) : timeout,
    });
    // Reading the body belongs to the attempt: a connection cut mid-answer is unreachable too.
    text = await res.text();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CallApiError('server_unreachable', `${what}: ${reason}`);
  }
  const body = parseJson(text);
  if (res.ok) return body;
  const serverError = ErrorBodySchema.safeParse(body);
  const detail = serverError.success
    ? `${serverError.data.error.code}: ${serverError.data.error.message}`
    : text.slice(0, 200);
  const code =
    res.status >= 500 || RETRYABLE_4XX.has(res.status) ? 'server_error' : ('rejected' as const);
  throw new CallApiError(
    code,
    `${what} answered ${res.status} (${detail})`,
    res.status,
    serverError.data?.error.code,
    serverError.data?.error.message,
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
