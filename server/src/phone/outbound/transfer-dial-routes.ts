import type { Router } from 'express';
import {
  INTERNAL_ROUTES,
  TransferDialRequestSchema,
  TransferDialResultSchema,
} from '@parley/contracts';
import { defineRoute, routerOf } from '../../http/define-route.js';
import type { Tenancy } from '../../tenants/tenancy.js';
import type { OutboundPhone } from './outbound-phone.js';

interface TransferDialDeps {
  tenancy: Tenancy;
  outbound: OutboundPhone;
}

/**
 * Agent: `POST /internal/calls/:id/transfer-dial` rings the persona's transfer target into a
 * room and answers once it picked up or gave up. Mounted behind the agent's service key.
 */
export const TRANSFER_DIAL_ROUTES = [
  defineRoute({
    method: 'post',
    path: INTERNAL_ROUTES.callTransferDial,
    summary: "Ring the persona's transfer target into a room",
    description:
      "Dials the call's persona's `escalation.transferTarget` (never a number from the request) " +
      "through the tenant's outbound trunk, with `parley.leg` = `transfer`, and answers once it " +
      'picked up or after `escalation.ringTimeoutSeconds`. The leg is kept with the call.',
    tag: 'Agent (internal)',
    auth: 'agent',
    body: TransferDialRequestSchema,
    responses: { 200: { description: 'how the dial ended', schema: TransferDialResultSchema } },
    errors: ['not_found', 'persona_not_found', 'conflict', 'no_outbound_trunk', 'sip_unavailable'],
    async handler({ res, params, body }, { tenancy, outbound }: TransferDialDeps) {
      const { roomName, participantIdentity } = body;
      const tenant = await tenancy.ofCall(params.id);
      const call = await tenant.calls.require(params.id);
      res.json(await outbound.transferDial(tenant, call, roomName, participantIdentity));
    },
  }),
];

export function transferDialRoutes(tenancy: Tenancy, outbound: OutboundPhone): Router {
  return routerOf(TRANSFER_DIAL_ROUTES, { tenancy, outbound });
}
