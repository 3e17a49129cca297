import type { Router } from 'express';
import {
  CreateTenantRequestSchema,
  CreatedTenantSchema,
  TenantSchema,
  listOf,
  type CreatedTenant,
} from '@parley/contracts';
import { defineRoute, routerOf } from '../http/define-route.js';
import { ADMIN_SCOPES, createdApiKey } from './api-key-routes.js';
import type { Tenancy } from './tenancy.js';

const auth = 'admin';
const tag = 'Tenants and API keys';

/** Operator: the tenants of this Parley. Mounted behind `requireAdmin` and `requireOperator`. */
export const TENANT_ROUTES = [
  defineRoute({
    method: 'get',
    path: '/v1/tenants',
    summary: 'List tenants (operator key only)',
    tag,
    auth,
    responses: { 200: { description: 'every tenant', schema: listOf(TenantSchema) } },
    errors: ['forbidden'],
    async handler({ res }, tenancy: Tenancy) {
      res.json({ data: await tenancy.tenants.list() });
    },
  }),
  /**
   * A tenant starts with the starter persona (`default`) and one API key, whose plaintext only
   * this answer holds.
   */
  defineRoute({
    method: 'post',
    path: '/v1/tenants',
    summary: 'Create a tenant, its starter persona and its first API key (operator key only)',
    description: 'The answer is the only time the key is shown; only its hash is stored.',
    tag,
    auth,
    body: CreateTenantRequestSchema,
    responses: { 201: { description: 'the tenant and its key', schema: CreatedTenantSchema } },
    errors: ['forbidden', 'conflict'],
    async handler({ res, body }, tenancy: Tenancy) {
      const { tenant, key } = await tenancy.createTenant(body, {
        name: 'first key',
        scopes: [...ADMIN_SCOPES],
      });
      const created: CreatedTenant = { tenant, apiKey: createdApiKey(key) };
      res.status(201).json(created);
    },
  }),
];

export function tenantRoutes(tenancy: Tenancy): Router {
  return routerOf(TENANT_ROUTES, tenancy);
}
