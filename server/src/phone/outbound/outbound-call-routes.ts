import { Router } from 'express';
import { ApiError } from '../../http/api-error.js';
import { OutboundCallRequestSchema, type Persona } from '@parley/contracts';
import { tenantOf } from '../../tenants/request-tenant.js';
import type { TenantStorage } from '../../storage/index.js';
import type { Tenancy } from '../../tenants/tenancy.js';
import { parseBody } from '../../http/validate.js';
import type { OutboundPhone } from './outbound-phone.js';

/**
 * The persona a call names: one of the tenant's own by id, or `<slug>/<id>` when the slug is the
 * tenant's (another tenant's persona is as unknown as a missing one).
 */
async function personaOf(tenancy: Tenancy, tenant: TenantStorage, ref: string): Promise<Persona> {
  const notFound = new ApiError('persona_not_found', `no persona '${ref}'`);
  const slash = ref.indexOf('/');
  if (slash >= 0) {
    const owner = await tenancy.tenants.get(tenant.tenantId);
    if (owner?.slug !== ref.slice(0, slash)) throw notFound;
  }
  const persona = await tenant.personas.get(ref.slice(slash + 1));
  if (!persona) throw notFound;
  return persona;
}

/** Admin: `POST /v1/calls/outbound`. Mounted behind `requireAdmin` (with `/v1/calls`). */
export function outboundCallRoutes(tenancy: Tenancy, outbound: OutboundPhone): Router {
  const router = Router();

  router.post('/v1/calls/outbound', async (req, res) => {
    const tenant = tenantOf(res);
    const request = parseBody(OutboundCallRequestSchema, req.body);
    const persona = await personaOf(tenancy, tenant, request.persona);
    // The default tenant's dispatches name no tenant, as its web sessions' do not.
    const hint = tenant.tenantId === tenancy.defaultTenantId ? undefined : tenant.tenantId;
    res.status(202).json(await outbound.placeCall(tenant, persona, request, hint));
  });

  return router;
}
