import { Router } from 'express';
import { TransferDialRequestSchema } from '@parley/contracts';
import type { Tenancy } from '../../tenants/tenancy.js';
import { parseBody } from '../../http/validate.js';
import type { OutboundPhone } from './outbound-phone.js';

/**
 * Agent: `POST /internal/calls/:id/transfer-dial` rings the persona's transfer target into a
 * room and answers once it picked up or gave up. Mounted behind the agent's service key.
 */
export function transferDialRoutes(tenancy: Tenancy, outbound: OutboundPhone): Router {
  const router = Router();

  router.post('/internal/calls/:id/transfer-dial', async (req, res) => {
    const { roomName, participantIdentity } = parseBody(TransferDialRequestSchema, req.body);
    const tenant = await tenancy.ofCall(req.params.id);
    const call = await tenant.calls.require(req.params.id);
    res.json(await outbound.transferDial(tenant, call, roomName, participantIdentity));
  });

  return router;
}
