import type { Request } from 'express';
import type { Persona } from '@parley/contracts';
import { DomainError } from '../domain-errors.js';

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

/** The origins this server answers on (the demo page is served from them). */
function ownOrigins(req: Request): Set<string> {
  const host = req.get('host');
  return new Set(host ? [`${req.protocol}://${host}`] : []);
}

/** Refuses a browser page at an origin that may not use the persona (`origin_not_allowed`). */
export function assertOriginAllowed(req: Request, persona: Persona, development: boolean): void {
  const origin = req.get('origin');
  if (!isOriginAllowed(origin, persona, ownOrigins(req), development)) {
    throw new DomainError(
      'origin_not_allowed',
      `origin ${origin} may not use persona '${persona.id}'`,
    );
  }
}
