import { Router } from 'express';
import { z } from 'zod';
import { ApiError } from './api-error.js';
import type { PersonaStore } from './persona-store.js';
import { parseBody } from './validate.js';
import type { WorkerRegistry } from './worker-registry.js';

const HeartbeatSchema = z.object({
  agentName: z.string().min(1).max(64),
  workerId: z.string().min(1).max(128),
  pid: z.number().int().optional(),
});

/** Routes for the agent worker; the caller mounts them behind the agent's service credential. */
export function internalRoutes(personas: PersonaStore, workers: WorkerRegistry): Router {
  const router = Router();

  router.get('/internal/personas/:id', async (req, res) => {
    const persona = await personas.get(req.params.id);
    if (!persona) throw new ApiError('persona_not_found', `no persona '${req.params.id}'`);
    res.json(persona);
  });

  router.post('/internal/workers/heartbeat', (req, res) => {
    const beat = parseBody(HeartbeatSchema, req.body);
    workers.heartbeat(beat.workerId);
    res.status(204).end();
  });

  return router;
}
