import { Router } from 'express';
import {
  CreateApiKeyRequestSchema,
  type ApiKeySummary,
  type CreatedApiKey,
} from '@parley/contracts';
import { tenantOf } from './request-tenant.js';
import type { ApiKey, IssuedApiKey } from '../storage/index.js';
import { parseBody } from '../http/validate.js';

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

/** Admin: the calling tenant's API keys. Mounted behind `requireAdmin`. */
export function apiKeyRoutes(): Router {
  const router = Router();

  router.get('/v1/api-keys', async (_req, res) => {
    const keys = await tenantOf(res).apiKeys.list();
    res.json({ data: keys.map(apiKeySummary) });
  });

  router.post('/v1/api-keys', async (req, res) => {
    const { name } = parseBody(CreateApiKeyRequestSchema, req.body);
    const issued = await tenantOf(res).apiKeys.create({ name, scopes: [...ADMIN_SCOPES] });
    res.status(201).json(createdApiKey(issued));
  });

  /** Revokes the key: the next request that presents it is refused. */
  router.delete('/v1/api-keys/:id', async (req, res) => {
    await tenantOf(res).apiKeys.revoke(req.params.id);
    res.status(204).end();
  });

  return router;
}
