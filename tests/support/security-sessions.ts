import assert from 'node:assert/strict';
import type { SessionResponse } from '@parley/contracts';
import type { TestStack } from './stack-env.js';

export interface SessionRequestOptions {
  /**
   * The client address the server sees: it trusts `X-Forwarded-For` from loopback (a reverse
   * proxy), and limits session requests per address. The security suites each use documentation
   * addresses (RFC 5737) of their own, so they never spend the budget of 127.0.0.1, which every
   * other suite's sessions come from.
   */
  address: string;
  /** The page's `Origin`; none, as from a server, when left out. */
  origin?: string;
  embedKey?: string;
}

/** `POST /v1/sessions` for `persona` as a browser at `address` (and `origin`) would send it. */
export function requestSession(
  stack: TestStack,
  persona: string,
  options: SessionRequestOptions,
): Promise<Response> {
  return fetch(`${stack.url}/v1/sessions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-forwarded-for': options.address,
      ...(options.origin && { origin: options.origin }),
    },
    body: JSON.stringify({
      persona,
      visitor: { name: 'Security test' },
      ...(options.embedKey && { embedKey: options.embedKey }),
    }),
  });
}

/** A session the server grants, as the widget receives it. */
export async function grantedSession(
  stack: TestStack,
  persona: string,
  options: SessionRequestOptions,
): Promise<SessionResponse> {
  const res = await requestSession(stack, persona, options);
  assert.equal(res.status, 201, await res.clone().text());
  return (await res.json()) as SessionResponse;
}

/** The `{ error: { code, message } }` of a refused request. */
export async function errorOf(res: Response): Promise<{ code: string; message: string }> {
  const body = (await res.json()) as { error?: { code: string; message: string } };
  assert.ok(body.error, `HTTP ${res.status} without an error body`);
  return body.error;
}
