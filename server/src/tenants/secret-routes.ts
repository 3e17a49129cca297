import { Router } from 'express';
import { PutSecretRequestSchema, SecretNameSchema } from '@parley/contracts';
import { tenantOf } from './request-tenant.js';
import { parseBody } from '../http/validate.js';

/**
 * Admin: secrets for webhook tools. Values go in and are never answered: the list has names
 * and times only. Each tenant has its own; mounted behind `requireAdmin`.
 */
export function secretRoutes(): Router {
  const router = Router();

  router.get('/v1/secrets', async (_req, res) => {
    res.json({ data: await tenantOf(res).secrets.list() });
  });

  router.put('/v1/secrets/:name', async (req, res) => {
    const name = parseBody(SecretNameSchema, req.params.name);
    await tenantOf(res).secrets.put(name, parseBody(PutSecretRequestSchema, req.body).value);
    res.status(204).end();
  });

  router.delete('/v1/secrets/:name', async (req, res) => {
    await tenantOf(res).secrets.remove(parseBody(SecretNameSchema, req.params.name));
    res.status(204).end();
  });

  return router;
}
