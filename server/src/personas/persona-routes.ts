import { Router } from 'express';
import { PersonaSchema } from '@parley/contracts';
import { ApiError } from '../http/api-error.js';
import { tenantOf } from '../tenants/request-tenant.js';
import { parseBody } from '../http/validate.js';

/** Admin CRUD for the tenant's personas; mounted behind `requireAdmin`. */
export function personaRoutes(): Router {
  const router = Router();

  router.get('/v1/personas', async (_req, res) => {
    res.json({ data: await tenantOf(res).personas.list() });
  });

  router.get('/v1/personas/:id', async (req, res) => {
    const persona = await tenantOf(res).personas.get(req.params.id);
    if (!persona) throw new ApiError('persona_not_found', `no persona '${req.params.id}'`);
    res.json(persona);
  });

  router.get('/v1/personas/:id/versions', async (req, res) => {
    res.json({ data: await tenantOf(res).personas.versions(req.params.id) });
  });

  router.post('/v1/personas', async (req, res) => {
    const input = parseBody(PersonaSchema, req.body);
    res.status(201).json(await tenantOf(res).personas.create(input));
  });

  router.put('/v1/personas/:id', async (req, res) => {
    const body: unknown = req.body;
    const withId =
      typeof body === 'object' && body !== null ? { ...body, id: req.params.id } : body;
    const input = parseBody(PersonaSchema, withId);
    res.json(await tenantOf(res).personas.replace(req.params.id, input));
  });

  return router;
}
