import { Router } from 'express';
import { z } from 'zod';
import { ApiError } from './api-error.js';
import {
  CallCloseSchema,
  CallInputSchema,
  IdempotencyKeySchema,
  TurnInputSchema,
} from './contracts/index.js';
import type { PersonaStore } from './persona-store.js';
import type { CallRepo, WebhookRepo } from './storage/index.js';
import { parseBody } from './validate.js';
import type { WorkerRegistry } from './worker-registry.js';

const HeartbeatSchema = z.object({
  agentName: z.string().min(1).max(64),
  workerId: z.string().min(1).max(128),
  pid: z.number().int().optional(),
});

const TurnAppendSchema = z.object({
  /** Stable per turn (e.g. `<job>:<n>`): a retried append answers the stored turn. */
  key: IdempotencyKeySchema,
  turn: TurnInputSchema,
});

export interface InternalDeps {
  personas: PersonaStore;
  calls: CallRepo;
  /** Outgoing webhooks: call.started and call.ended are queued here as calls begin and end. */
  webhooks: WebhookRepo;
  workers: WorkerRegistry;
}

/** Routes for the agent worker; the caller mounts them behind the agent's service credential. */
export function internalRoutes({ personas, calls, webhooks, workers }: InternalDeps): Router {
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

  router.post('/internal/calls', async (req, res) => {
    const { call, created } = await calls.ensure(parseBody(CallInputSchema, req.body));
    // Stable event ids: a retried create or close never queues a second delivery.
    await webhooks.enqueue({ id: `${call.id}.started`, type: 'call.started', payload: { call } });
    res.status(created ? 201 : 200).json(call);
  });

  router.post('/internal/calls/:id/turns', async (req, res) => {
    const { key, turn } = parseBody(TurnAppendSchema, req.body);
    const appended = await calls.appendTurn(req.params.id, key, turn);
    res.status(appended.created ? 201 : 200).json(appended.turn);
  });

  router.post('/internal/calls/:id/close', async (req, res) => {
    const { call } = await calls.close(req.params.id, parseBody(CallCloseSchema, req.body));
    await webhooks.enqueue({ id: `${call.id}.ended`, type: 'call.ended', payload: { call } });
    res.json(call);
  });

  return router;
}
