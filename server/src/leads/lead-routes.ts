import { Router } from 'express';
import { ApiError } from '../http/api-error.js';
import { tenantOf } from '../tenants/request-tenant.js';
import { LeadListQuerySchema } from '../storage/index.js';
import { parseBody } from '../http/validate.js';

/** Admin: the leads the agent captured for the tenant, newest first. Behind `requireAdmin`. */
export function leadRoutes(): Router {
  const router = Router();

  router.get('/v1/leads', async (req, res) => {
    res.json(await tenantOf(res).leads.list(parseBody(LeadListQuerySchema, req.query)));
  });

  router.get('/v1/leads/:id', async (req, res) => {
    const lead = await tenantOf(res).leads.get(req.params.id);
    if (!lead) throw new ApiError('not_found', `no lead '${req.params.id}'`);
    res.json(lead);
  });

  return router;
}
