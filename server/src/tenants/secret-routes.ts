import type { Router } from 'express';
import { z } from 'zod';
import {
  PutSecretRequestSchema,
  SecretNameSchema,
  SecretSummarySchema,
  listOf,
} from '@parley/contracts';
import { defineRoute, routerOf } from '../http/define-route.js';
import { parseBody } from '../http/validate.js';
import { tenantOf } from './request-tenant.js';

const auth = 'admin';
const tag = 'Secrets';
const SecretNameParams = z.object({ name: SecretNameSchema });

/**
 * Admin: secrets for webhook tools. Values go in and are never answered: the list has names
 * and times only. Each tenant has its own; mounted behind `requireAdmin`.
 */
export const SECRET_ROUTES = [
  defineRoute({
    method: 'get',
    path: '/v1/secrets',
    summary: 'List stored secrets: names and times, never values',
    tag,
    auth,
    responses: { 200: { description: 'every secret', schema: listOf(SecretSummarySchema) } },
    async handler({ res }) {
      res.json({ data: await tenantOf(res).secrets.list() });
    },
  }),
  defineRoute({
    method: 'put',
    path: '/v1/secrets/:name',
    summary: 'Store or replace a secret that webhook tools reference as `{{secret.NAME}}`',
    tag,
    auth,
    params: SecretNameParams,
    body: PutSecretRequestSchema,
    // The name in the path is checked before the body.
    parseBody: false,
    responses: { 204: { description: 'stored' } },
    async handler({ req, res, params }) {
      const name = parseBody(SecretNameSchema, params.name);
      await tenantOf(res).secrets.put(name, parseBody(PutSecretRequestSchema, req.body).value);
      res.status(204).end();
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/v1/secrets/:name',
    summary: 'Remove a secret',
    tag,
    auth,
    params: SecretNameParams,
    responses: { 204: { description: 'removed' } },
    errors: ['invalid_request', 'not_found'],
    async handler({ res, params }) {
      await tenantOf(res).secrets.remove(parseBody(SecretNameSchema, params.name));
      res.status(204).end();
    },
  }),
];

export function secretRoutes(): Router {
  return routerOf(SECRET_ROUTES, undefined);
}
