import { Router } from 'express';
import { OutboundCallRequestSchema } from '../../contracts/index.js';
import { tenantOf } from '../../request-tenant.js';
import type { Tenancy } from '../../tenancy.js';
import { parseBody } from '../../validate.js';
import type { OutboundPhone } from './outbound-phone.js';

/** Admin: `POST /v1/calls/outbound`. Mounted behind `requireAdmin` (with `/v1/calls`). */
export function outboundCallRoutes(tenancy: Tenancy, outbound: OutboundPhone): Router {
  const router = Router();

  router.post('/v1/calls/outbound', async (req, res) => {
    const tenant = tenantOf(res);
    const request = parseBody(OutboundCallRequestSchema, req.body);
    // The default tenant's dispatches name no tenant, as its web sessions' do not.
    const hint = tenant.tenantId === tenancy.defaultTenantId ? undefined : tenant.tenantId;
    res.status(202).json(await outbound.placeCall(tenant, request, hint));
  });

  return router;
}
