import type { Persona } from './contracts/index.js';

/**
 * Whether a browser page at `origin` may open a session for `persona`. The server's own origins
 * (the demo page) are always allowed; otherwise the origin must be listed exactly. A request with
 * no Origin header is not from a browser page and is left to rate limits and embed keys.
 */
export function isOriginAllowed(
  origin: string | undefined,
  persona: Persona,
  ownOrigins: ReadonlySet<string>,
): boolean {
  if (origin === undefined) return true;
  if (ownOrigins.has(origin)) return true;
  return persona.allowedOrigins.includes('*') || persona.allowedOrigins.includes(origin);
}
