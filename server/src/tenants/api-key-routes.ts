import type { Router } from 'express';
import {
  ApiKeySummarySchema,
  CreateApiKeyRequestSchema,
  CreatedApiKeySchema,
  listOf,
  type ApiKeySummary,
  type CreatedApiKey,
} from '@parley/contracts';
import { defineRoute, routerOf } from '../http/define-route.js';
import type { ApiKey, IssuedApiKey } from '../storage/index.js';
import { tenantOf } from './request-tenant.js';

/** Every key a tenant makes through the API may use the admin API (and nothing else). */
export const ADMIN_SCOPES = ['admin'] as const;

export function apiKeySummary(key: ApiKey): ApiKeySummary {
  const { id, name, prefix, createdAt, revokedAt } = key;
  return { id, name, prefix, createdAt, ...(revokedAt && { revokedAt }) };
}

/** The answer that shows a new key's plaintext: the only one that ever does. */
export function createdApiKey({ apiKey, plaintext }: IssuedApiKey): CreatedApiKey {
  const { id, name, prefix, createdAt } = apiKey;
  return { id, name, prefix, key: plaintext, createdAt };
}

const auth = 'admin';
const tag = 'Tenants and API keys';

/** Admin: the calling tenant's API keys. Mounted behind `requireAdmin`. */
export const API_KEY_ROUTES = [
  defineRoute({
    method: 'get',
    path: '/v1/api-keys',
    summary: "List the tenant's API keys, revoked ones included (never their key material)",
    tag,
    auth,
    responses: { 200: { description: 'every key', schema: listOf(ApiKeySummarySchema) } },
    async handler({ res }) {
      const keys = await tenantOf(res).apiKeys.list();
      res.json({ data: keys.map(apiKeySummary) });
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/api-keys',
    summary: 'Create an API key for the tenant',
    description: 'The answer is the only time the key is shown; only its hash is stored.',
    tag,
    auth,
    body: CreateApiKeyRequestSchema,
    responses: { 201: { description: 'the key', schema: CreatedApiKeySchema } },
    async handler({ res, body }) {
      const issued = await tenantOf(res).apiKeys.create({
        name: body.name,
        scopes: [...ADMIN_SCOPES],
      });
      res.status(201).json(createdApiKey(issued));
    },
  }),
  /** Revokes the key: the next request that presents it is refused. */
  defineRoute({
    method: 'delete',
    path: '/v1/api-keys/:id',
    summary: 'Revoke an API key: it is refused from the next request on',
    tag,
    auth,
    responses: { 204: { description: 'revoked' } },
    errors: ['not_found'],
    async handler({ res, params }) {
      await tenantOf(res).apiKeys.revoke(params.id);
      res.status(204).end();
    },
  }),
];

export function apiKeyRoutes(): Router {
  return routerOf(API_KEY_ROUTES, undefined);
}
