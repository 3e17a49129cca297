import { timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { ApiError } from '../http/api-error.js';
import { annotateLogContext } from '../observability/log-context.js';
import { actFor, callerOf } from './request-tenant.js';
import type { Tenancy } from './tenancy.js';

/** The header an admin request names its tenant with (id or slug): the operator key's choice. */
export const TENANT_HEADER = 'parley-tenant';

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
  /** `PARLEY_ADMIN_KEY`: acts on the default tenant or the one `Parley-Tenant` names. */
  operatorKey: string;
  tenancy: Tenancy;
}

/**
 * Admits admin requests and binds each to its tenant. The operator key acts on the tenant the
 * `Parley-Tenant` header names (id or slug; the default tenant without it); an unknown tenant is
 * 404. Each admin request's log line names its tenant and actor (`operator` or `apiKey`): the
 * audit trail of the operator key. A tenant's API key (with the `admin` scope) acts on its own
 * tenant only: a header naming another one is 403, whether that tenant exists or not. Unknown and
 * revoked keys are 401.
 */
export function requireAdmin({ operatorKey, tenancy }: AdminAuthOptions): RequestHandler {
  // Express 5 forwards a rejected promise to the error handler.
  return async (req, res, next) => {
    const given = bearerOf(req);
    if (!given) throw unauthorized();
    const named = req.get(TENANT_HEADER);
    if (sameSecret(given, operatorKey)) {
      const tenantId = named === undefined ? tenancy.defaultTenantId : await tenantNamed(named);
      actFor(res, tenancy.forTenant(tenantId), { kind: 'operator' });
      annotateLogContext({ actor: 'operator', tenantId });
    } else {
      const key = await tenancy.verifyApiKey(given);
      if (!key?.scopes.includes('admin')) throw unauthorized();
      if (named !== undefined && (await tenancy.tenantIdOf(named)) !== key.tenantId) {
        throw new ApiError('forbidden', "a tenant's API key acts on its own tenant only");
      }
      actFor(res, tenancy.forTenant(key.tenantId), { kind: 'apiKey', keyId: key.keyId });
      annotateLogContext({ actor: 'apiKey', tenantId: key.tenantId });
    }
    next();
  };

  async function tenantNamed(named: string): Promise<string> {
    const tenantId = await tenancy.tenantIdOf(named);
    if (!tenantId) throw new ApiError('not_found', `no tenant '${named}'`);
    return tenantId;
  }
}

/** After `requireAdmin`: only the operator key passes; a tenant's key is 403. */
export const requireOperator: RequestHandler = (_req, res, next) => {
  next(
    callerOf(res).kind === 'operator'
      ? undefined
      : new ApiError('forbidden', 'only the operator key (PARLEY_ADMIN_KEY) may manage tenants'),
  );
};
