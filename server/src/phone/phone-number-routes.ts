import { Router } from 'express';
import { requireOperator } from '../tenants/bearer-auth.js';
import { tenantOf } from '../tenants/request-tenant.js';
import type { PhoneNumbers } from './phone-numbers.js';

/** Admin: which persona answers each of the tenant's numbers. Mounted behind `requireAdmin`. */
export function phoneNumberRoutes(numbers: PhoneNumbers): Router {
  const router = Router();

  router.get('/v1/phone-numbers', async (_req, res) => {
    res.json({ data: await numbers.list(tenantOf(res)) });
  });

  /** Operator: repairs LiveKit's trunks and rules against every tenant's numbers. */
  router.post('/v1/phone-numbers/reconcile', requireOperator, async (_req, res) => {
    res.json(await numbers.reconcile());
  });

  router.get('/v1/phone-numbers/:e164', async (req, res) => {
    res.json(await numbers.get(tenantOf(res), req.params.e164));
  });

  /** Adds the number, or points it at another persona; provisions LiveKit's trunk and rule. */
  router.put('/v1/phone-numbers/:e164', async (req, res) => {
    res.json(await numbers.assign(tenantOf(res), req.params.e164, req.body));
  });

  router.delete('/v1/phone-numbers/:e164', async (req, res) => {
    await numbers.remove(tenantOf(res), req.params.e164);
    res.status(204).end();
  });

  return router;
}
