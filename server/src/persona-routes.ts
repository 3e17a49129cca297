import { Router } from 'express';
import { PersonaSchema } from './contracts/index.js';
import { ApiError } from './api-error.js';
import type { PersonaStore } from './persona-store.js';
import { parseBody } from './validate.js';

/** Admin CRUD for personas; the caller mounts it behind the admin credential. */
export function personaRoutes(personas: PersonaStore): Router {
  const router = Router();

  router.get('/v1/personas', async (_req, res) => {
    res.json({ data: await personas.list() });
  });

  router.get('/v1/personas/:id', async (req, res) => {
    const persona = await personas.get(req.params.id);
    if (!persona) throw new ApiError('persona_not_found', `no persona '${req.params.id}'`);
    res.json(persona);
  });

  router.post('/v1/personas', async (req, res) => {
    const input = parseBody(PersonaSchema, req.body);
    res.status(201).json(await personas.create(input));
  });

  router.put('/v1/personas/:id', async (req, res) => {
    const body: unknown = req.body;
    const withId =
      typeof body === 'object' && body !== null ? { ...body, id: req.params.id } : body;
    const input = parseBody(PersonaSchema, withId);
    res.json(await personas.replace(req.params.id, input));
  });

  return router;
}
