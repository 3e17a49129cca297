import type { Router } from 'express';
import { z } from 'zod';
import {
  WebhookDeliverySchema,
  WebhookEndpointInputSchema,
  WebhookEndpointSchema,
  listOf,
} from '@parley/contracts';
import { InvalidInputError } from '../domain-errors.js';
import { defineRoute, routerOf } from '../http/define-route.js';
import type { OutgoingGuard } from '../http/outgoing-guard.js';
import { tenantOf } from '../tenants/request-tenant.js';

export const DeliveryFilterSchema = z.object({
  endpointId: z.string().max(100).optional(),
  status: z.enum(['pending', 'delivered', 'failed']).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

const auth = 'admin';
const tag = 'Outgoing webhooks';

/** Admin: where the tenant's events go, and what was delivered. Mounted behind `requireAdmin`. */
export const WEBHOOK_ENDPOINT_ROUTES = [
  defineRoute({
    method: 'get',
    path: '/v1/webhook-endpoints',
    summary: 'List webhook endpoints',
    tag,
    auth,
    responses: { 200: { description: 'every endpoint', schema: listOf(WebhookEndpointSchema) } },
    async handler({ res }, _outgoing: OutgoingGuard) {
      res.json({ data: await tenantOf(res).webhooks.listEndpoints() });
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/webhook-endpoints',
    summary: 'Add a webhook endpoint',
    description:
      'Deliveries are signed with HMAC-SHA256 over `timestamp.body` (`parley-signature`). ' +
      'They go to public addresses only (unless the operator allows a range): a URL whose host ' +
      'is a loopback, private, link-local or other non-public address is refused here, and a ' +
      'host name is checked each time a delivery connects.',
    tag,
    auth,
    body: WebhookEndpointInputSchema,
    responses: { 201: { description: 'the endpoint', schema: WebhookEndpointSchema } },
    async handler({ res, body }, outgoing: OutgoingGuard) {
      const refused = outgoing.refusedUrl(body.url);
      if (refused) {
        throw new InvalidInputError(
          `url: '${refused.host}' is ${refused.reason}; webhooks go to public addresses only`,
        );
      }
      res.status(201).json(await tenantOf(res).webhooks.createEndpoint(body));
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/v1/webhook-endpoints/:id',
    summary: 'Remove a webhook endpoint',
    tag,
    auth,
    responses: { 204: { description: 'removed' } },
    errors: ['not_found'],
    async handler({ res, params }, _outgoing: OutgoingGuard) {
      await tenantOf(res).webhooks.deleteEndpoint(params.id);
      res.status(204).end();
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/webhook-deliveries',
    summary: 'List webhook deliveries and their state',
    tag,
    auth,
    query: DeliveryFilterSchema,
    responses: {
      200: { description: 'newest first', schema: listOf(WebhookDeliverySchema) },
    },
    async handler({ res, query }, _outgoing: OutgoingGuard) {
      res.json({ data: await tenantOf(res).webhooks.listDeliveries(query) });
    },
  }),
];

/** `outgoing`: where deliveries may go; a URL it refuses outright is not stored. */
export function webhookEndpointRoutes(outgoing: OutgoingGuard): Router {
  return routerOf(WEBHOOK_ENDPOINT_ROUTES, outgoing);
}
