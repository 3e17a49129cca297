import { Router } from 'express';
import { z } from 'zod';
import { tenantOf } from '../tenants/request-tenant.js';
import { parseBody } from '../http/validate.js';
import { WebhookEndpointInputSchema } from '@parley/contracts';

export const DeliveryFilterSchema = z.object({
  endpointId: z.string().max(100).optional(),
  status: z.enum(['pending', 'delivered', 'failed']).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

/** Admin: where the tenant's events go, and what was delivered. Mounted behind `requireAdmin`. */
export function webhookEndpointRoutes(): Router {
  const router = Router();

  router.get('/v1/webhook-endpoints', async (_req, res) => {
    res.json({ data: await tenantOf(res).webhooks.listEndpoints() });
  });

  router.post('/v1/webhook-endpoints', async (req, res) => {
    const input = parseBody(WebhookEndpointInputSchema, req.body);
    res.status(201).json(await tenantOf(res).webhooks.createEndpoint(input));
  });

  router.delete('/v1/webhook-endpoints/:id', async (req, res) => {
    await tenantOf(res).webhooks.deleteEndpoint(req.params.id);
    res.status(204).end();
  });

  router.get('/v1/webhook-deliveries', async (req, res) => {
    const filter = parseBody(DeliveryFilterSchema, req.query);
    res.json({ data: await tenantOf(res).webhooks.listDeliveries(filter) });
  });

  return router;
}
