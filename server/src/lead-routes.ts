import { Router } from 'express';
import { ApiError } from './api-error.js';
import { LeadListQuerySchema, type LeadRepo } from './storage/index.js';
import { parseBody } from './validate.js';

/** Admin: the leads the agent captured, newest first. Mounted behind the admin key. */
export function leadRoutes(leads: LeadRepo): Router {
  const router = Router();

  router.get('/v1/leads', async (req, res) => {
    res.json(await leads.list(parseBody(LeadListQuerySchema, req.query)));
  });

  router.get('/v1/leads/:id', async (req, res) => {
    const lead = await leads.get(req.params.id);
    if (!lead) throw new ApiError('not_found', `no lead '${req.params.id}'`);
    res.json(lead);
  });

  return router;
}
