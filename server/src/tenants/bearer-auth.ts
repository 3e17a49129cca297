import { timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { ApiError } from '../http/api-error.js';
import { actFor, callerOf } from './request-tenant.js';
import type { Tenancy } from './tenancy.js';

/** Compares a presented secret with the expected one in constant time. */
export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The credential of `Authorization: Bearer <key>`, if the request has one. */
function bearerOf(req: Request): string | undefined {
  return /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
}

const unauthorized = () => new ApiError('unauthorized', 'missing or invalid bearer credential');

/** Admits a request only with `Authorization: Bearer <key>`. */
export function requireBearer(key: string): RequestHandler {
  return (req, _res, next) => {
    const given = bearerOf(req);
    next(given && sameSecret(given, key) ? undefined : unauthorized());
  };
}

export interface AdminAuthOptions {
  /** `PARLEY_ADMIN_KEY`: acts on the default tenant and may manage tenants. */
  operatorKey: string;
  tenancy: Tenancy;
}

/**
 * Admits admin requests and binds each to its tenant: the operator key to the default tenant, a
 * tenant's API key (with the `admin` scope) to that tenant. Unknown and revoked keys are 401.
 */
export function requireAdmin({ operatorKey, tenancy }: AdminAuthOptions): RequestHandler {
  // Express 5 forwards a rejected promise to the error handler.
  return async (req, res, next) => {
    const given = bearerOf(req);
    if (!given) throw unauthorized();
    if (sameSecret(given, operatorKey)) {
      actFor(res, tenancy.defaultTenant, { kind: 'operator' });
    } else {
      const key = await tenancy.verifyApiKey(given);
      if (!key?.scopes.includes('admin')) throw unauthorized();
      actFor(res, tenancy.forTenant(key.tenantId), { kind: 'apiKey', keyId: key.keyId });
    }
    next();
  };
}

/** After `requireAdmin`: only the operator key passes; a tenant's key is 403. */
export const requireOperator: RequestHandler = (_req, res, next) => {
  next(
    callerOf(res).kind === 'operator'
      ? undefined
      : new ApiError('forbidden', 'only the operator key (PARLEY_ADMIN_KEY) may manage tenants'),
  );
};
