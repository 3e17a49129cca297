import type { Router } from 'express';
import { LeadSchema, pageOf, LeadListQuerySchema } from '@parley/contracts';
import { ApiError } from '../http/api-error.js';
import { defineRoute, routerOf } from '../http/define-route.js';
import { tenantOf } from '../tenants/request-tenant.js';

const auth = 'admin';
const tag = 'Leads and appointments';

/** Admin: the leads the agent captured for the tenant, newest first. Behind `requireAdmin`. */
export const LEAD_ROUTES = [
  defineRoute({
    method: 'get',
    path: '/v1/leads',
    summary: 'List leads, newest first',
    tag,
    auth,
    query: LeadListQuerySchema,
    responses: { 200: { description: 'one page of leads', schema: pageOf(LeadSchema) } },
    async handler({ res, query }) {
      res.json(await tenantOf(res).leads.list(query));
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/leads/:id',
    summary: 'Get a lead',
    tag,
    auth,
    responses: { 200: { description: 'the lead', schema: LeadSchema } },
    errors: ['not_found'],
    async handler({ res, params }) {
      const lead = await tenantOf(res).leads.get(params.id);
      if (!lead) throw new ApiError('not_found', `no lead '${params.id}'`);
      res.json(lead);
    },
  }),
];

export function leadRoutes(): Router {
  return routerOf(LEAD_ROUTES, undefined);
}
