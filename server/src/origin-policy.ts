import type { Persona } from './contracts/index.js';

const LOCALHOST = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/;

/**
 * Whether a browser page at `origin` may open a session for `persona`. The server's own origins
 * (the demo page) are always allowed, and in development any localhost page; otherwise the origin
 * must be listed exactly. A request with no Origin header is not from a browser page and is left
 * to rate limits and embed keys.
 */
export function isOriginAllowed(
  origin: string | undefined,
  persona: Persona,
  ownOrigins: ReadonlySet<string>,
  development = false,
): boolean {
  if (origin === undefined) return true;
  if (ownOrigins.has(origin)) return true;
  if (development && LOCALHOST.test(origin)) return true;
  return persona.allowedOrigins.includes('*') || persona.allowedOrigins.includes(origin);
}
