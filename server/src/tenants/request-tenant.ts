import type { Response } from 'express';
import type { TenantStorage } from '../storage/index.js';

/**
 * Who is asking: the operator (`PARLEY_ADMIN_KEY`, acting on the default tenant), a tenant's API
 * key, or the agent worker (acting on the tenant of the call it names).
 */
export type Caller = { kind: 'operator' } | { kind: 'apiKey'; keyId: string } | { kind: 'agent' };

interface RequestTenant {
  tenant: TenantStorage;
  caller: Caller;
}

const locals = (res: Response) => res.locals as { requestTenant?: RequestTenant };

/** Binds the request to one tenant: every repository its routes reach is that tenant's. */
export function actFor(res: Response, tenant: TenantStorage, caller: Caller): void {
  locals(res).requestTenant = { tenant, caller };
}

function requestTenant(res: Response): RequestTenant {
  const bound = locals(res).requestTenant;
  // A route mounted without the middleware that authenticates and binds its requests.
  if (!bound) throw new Error('no tenant is bound to this request');
  return bound;
}

/** The repositories of the tenant the request acts for. */
export function tenantOf(res: Response): TenantStorage {
  return requestTenant(res).tenant;
}

export function callerOf(res: Response): Caller {
  return requestTenant(res).caller;
}
