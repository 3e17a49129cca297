import { Router } from 'express';
import { CreateTenantRequestSchema, type CreatedTenant } from '@parley/contracts';
import { ADMIN_SCOPES, createdApiKey } from './api-key-routes.js';
import type { Tenancy } from './tenancy.js';
import { parseBody } from '../http/validate.js';

/** Operator: the tenants of this Parley. Mounted behind `requireAdmin` and `requireOperator`. */
export function tenantRoutes(tenancy: Tenancy): Router {
  const router = Router();

  router.get('/v1/tenants', async (_req, res) => {
    res.json({ data: await tenancy.tenants.list() });
  });

  /** A tenant starts with no personas and one API key, whose plaintext only this answer holds. */
  router.post('/v1/tenants', async (req, res) => {
    const input = parseBody(CreateTenantRequestSchema, req.body);
    const { tenant, key } = await tenancy.createTenant(input, {
      name: 'first key',
      scopes: [...ADMIN_SCOPES],
    });
    const created: CreatedTenant = { tenant, apiKey: createdApiKey(key) };
    res.status(201).json(created);
  });

  return router;
}
