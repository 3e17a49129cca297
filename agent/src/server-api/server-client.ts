import { ApiErrorBodySchema, isErrorCode } from '@parley/contracts';
import { setTimeout as sleep } from 'node:timers/promises';
import type { z } from 'zod';
import { failureOfStatus, ServerApiError } from './server-api-error.js';

export interface ServerClientOptions {
  /** The Parley server, e.g. `http://127.0.0.1:8787`. */
  serverUrl: string;
  /** The agent's service credential, sent as `Authorization: Bearer`. */
  agentKey: string;
  /** Per attempt, unless the request names its own; longer counts as unreachable. */
  timeoutMs: number;
  fetch: typeof fetch;
}

/** One request to the server's internal API. */
export interface ServerRequest {
  method: 'GET' | 'POST';
  /** A path of `INTERNAL_API` (`@parley/contracts`), without query. */
  path: string;
  /** Query parameters; those `undefined` are left out. */
  query?: Record<string, string | undefined>;
  /** Sent as JSON (POST only). */
  body?: unknown;
  /** Abandons the request (it then counts as unreachable) and any pause before a retry. */
  signal?: AbortSignal;
  /** This request's own timeout per attempt. */
  timeoutMs?: number;
  /**
   * Pauses before each retry after a retryable failure, one retry per entry; none by default.
   * Only for a request that is safe to repeat: a GET, or a POST the server dedupes by its key.
   */
  retryDelaysMs?: readonly number[];
}

const defaults = { timeoutMs: 5_000 };

/**
 * The agent's one client for the Parley server's internal API: the service credential, a
 * timeout per attempt, retries of what is safe to repeat, and every failure as a
 * {@link ServerApiError}.
 */
export class ServerClient {
  readonly #opts: ServerClientOptions;

  constructor(
    opts: Pick<ServerClientOptions, 'serverUrl' | 'agentKey'> & Partial<ServerClientOptions>,
  ) {
    this.#opts = { fetch: globalThis.fetch, ...defaults, ...opts };
  }

  /** Answers the parsed JSON body (`undefined` when there is none). */
  async request(req: ServerRequest): Promise<unknown> {
    for (const delayMs of req.retryDelaysMs ?? []) {
      try {
        return await this.#attempt(req);
      } catch (error) {
        if (!(error instanceof ServerApiError && error.retryable) || req.signal?.aborted) {
          throw error;
        }
      }
      await sleep(delayMs, undefined, { signal: req.signal });
    }
    return this.#attempt(req);
  }

  /** Answers the body as `schema` reads it; any other body is a `bad_answer`. */
  async requestAs<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, req: ServerRequest): Promise<T> {
    const body = await this.request(req);
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.join('.') || '(root)';
      throw new ServerApiError(
        'bad_answer',
        `${req.method} ${req.path} answered an unexpected body: ${where} ${issue?.message ?? ''}`,
      );
    }
    return parsed.data;
  }

  async #attempt(req: ServerRequest): Promise<unknown> {
    const timeout = AbortSignal.timeout(req.timeoutMs ?? this.#opts.timeoutMs);
    const what = `${req.method} ${req.path}`;
    let res: Response;
    let text: string;
    try {
      res = await this.#opts.fetch(this.#url(req), {
        method: req.method,
        headers: {
          authorization: `Bearer ${this.#opts.agentKey}`,
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
      throw new ServerApiError('server_unreachable', `${what}: ${reason}`);
    }
    const body = parseJson(text);
    if (res.ok) return body;
    const answered = ApiErrorBodySchema.safeParse(body);
    const serverError = answered.success ? answered.data.error : undefined;
    const detail = serverError ? `${serverError.code}: ${serverError.message}` : text.slice(0, 200);
    throw new ServerApiError(
      failureOfStatus(res.status),
      `${what} answered ${res.status} (${detail})`,
      res.status,
      serverError && isErrorCode(serverError.code) ? serverError.code : undefined,
      serverError?.message,
    );
  }

  #url(req: ServerRequest): string {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(req.query ?? {})) {
      if (value !== undefined) query.set(name, value);
    }
    const search = query.size > 0 ? `?${query.toString()}` : '';
    return `${this.#opts.serverUrl.replace(/\/+$/, '')}${req.path}${search}`;
  }
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
