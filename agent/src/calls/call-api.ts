import type { CallClose, CallInput, TurnInput } from '@parley/server/contracts';
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

const CreatedCallSchema = z.object({ id: z.string().min(1) });
const ErrorBodySchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

/** Statuses that say "try again later" rather than "this request is wrong". */
const RETRYABLE_4XX = new Set([408, 429]);

/** The server's `/internal/calls` routes, with the agent's service credential. */
export class CallApi {
  readonly #opts: CallApiOptions;

  constructor(opts: Pick<CallApiOptions, 'serverUrl' | 'agentKey'> & Partial<CallApiOptions>) {
    this.#opts = { timeoutMs: 5_000, fetch: globalThis.fetch, ...opts };
    this.#opts.serverUrl = this.#opts.serverUrl.replace(/\/+$/, '');
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

  async #post(route: string, payload: unknown, signal?: AbortSignal): Promise<unknown> {
    const timeout = AbortSignal.timeout(this.#opts.timeoutMs);
    const what = `POST ${route}`;
    let res: Response;
    let text: string;
    try {
      res = await this.#opts.fetch(`${this.#opts.serverUrl}${route}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${this.#opts.agentKey}`,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: JSON.stringify(payload),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
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
      serverError.success ? serverError.data.error.code : undefined,
    );
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
