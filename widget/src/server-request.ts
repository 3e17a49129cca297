import type { ApiErrorBody } from '@parley/contracts';
import { SessionError } from './session-error.js';

export interface ServerRequestOptions {
  /** Base URL of the Parley server; empty means the page's own origin. */
  server: string;
  /** Gives up waiting for the server after this long. */
  timeoutMs: number;
  /** Cancels the request (the call was ended meanwhile). */
  signal?: AbortSignal;
  /** Sent as `Authorization: Bearer …` (the visitor's LiveKit token, for call-bound routes). */
  token?: string;
  fetch: typeof fetch;
}

const defaultOptions: Omit<ServerRequestOptions, 'fetch'> = { server: '', timeoutMs: 15_000 };

/** `${server}${path}`, tolerant of a trailing slash on `server`. */
export function serverUrl(server: string, path: string): string {
  return `${server.trim().replace(/\/+$/, '')}${path}`;
}

/**
 * Asks the Parley server at `path` (a GET, or a POST of `body` as JSON) and resolves with its JSON
 * answer once `isExpected` accepts it. Rejects with a {@link SessionError} whose code is the
 * server's (`persona_not_found`, `origin_not_allowed`, …) or the widget's own
 * (`server_unreachable`, `invalid_response`); an abort by `signal` propagates as is.
 */
export async function requestJson<T>(
  path: string,
  body: object | undefined,
  isExpected: (value: unknown) => value is T,
  options: Partial<ServerRequestOptions> = {},
): Promise<T> {
  const {
    server,
    timeoutMs,
    signal,
    token,
    fetch: fetchImpl,
  } = {
    ...defaultOptions,
    fetch: globalThis.fetch.bind(globalThis),
    ...options,
  };
  const url = serverUrl(server, path);
  // one controller for both the caller's signal and the timeout (AbortSignal.any is too new)
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const forwardAbort = (): void => controller.abort();
  signal?.addEventListener('abort', forwardAbort, { once: true });
  if (signal?.aborted) controller.abort();

  let response: Response;
  try {
    response = await fetchImpl(url, {
      method: body ? 'POST' : 'GET',
      // a GET stays a simple request: no CORS preflight
      headers: {
        ...(body && { 'content-type': 'application/json' }),
        ...(token && { authorization: `Bearer ${token}` }),
      },
      body: body && JSON.stringify(body),
      credentials: 'omit',
      signal: controller.signal,
    });
  } catch (cause) {
    if (signal?.aborted) throw cause;
    throw new SessionError(
      'server_unreachable',
      timedOut
        ? `The voice assistant server at ${displayUrl(url)} did not answer within ` +
            `${Math.round(timeoutMs / 1000)} s. Please try again later.`
        : `Could not reach the voice assistant server at ${displayUrl(url)}. Please try again later.`,
      { cause },
    );
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', forwardAbort);
  }

  const payload: unknown = await response.json().catch(() => undefined);
  if (response.ok) {
    if (isExpected(payload)) return payload;
    throw new SessionError(
      'invalid_response',
      'The voice assistant server sent an answer this widget does not understand.',
    );
  }
  if (isApiErrorBody(payload)) {
    throw new SessionError(payload.error.code, payload.error.message);
  }
  throw new SessionError(
    'invalid_response',
    `The voice assistant server answered with HTTP ${response.status}. Please try again later.`,
  );
}

/** The server's origin, so the message names a real place even when `server` was empty. */
function displayUrl(url: string): string {
  const base = typeof location === 'undefined' ? undefined : location.href;
  try {
    return new URL(url, base).origin;
  } catch {
    // not a URL at all (a mistyped `server` attribute): show it as written
    return url;
  }
}

interface ErrorBodyFromNewerServer {
  error: { code: string; message: string };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Checked loosely: a newer server may send codes this build does not know. */
function isApiErrorBody(value: unknown): value is ApiErrorBody | ErrorBodyFromNewerServer {
  const error = isRecord(value) ? value['error'] : undefined;
  return (
    isRecord(error) && typeof error['code'] === 'string' && typeof error['message'] === 'string'
  );
}
