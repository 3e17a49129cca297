import { Router } from 'express';
import { z } from 'zod';
import { ApiError } from './api-error.js';
import { callToolRoutes } from './call-tool-routes.js';
import {
  CallCloseSchema,
  CallInputSchema,
  IdempotencyKeySchema,
  TurnInputSchema,
} from './contracts/index.js';
import type { PersonaStore } from './persona-store.js';
import type { CallRepo, TenantRecords, WebhookRepo } from './storage/index.js';
import { parseBody } from './validate.js';
import type { WorkerRegistry } from './worker-registry.js';

export const HeartbeatSchema = z.object({
  agentName: z.string().min(1).max(64),
  workerId: z.string().min(1).max(128),
  pid: z.number().int().optional(),
});

export const TurnAppendSchema = z.object({
  /** Stable per turn (e.g. `<job>:<n>`): a retried append answers the stored turn. */
  key: IdempotencyKeySchema,
  turn: TurnInputSchema,
});

export interface InternalDeps {
  personas: PersonaStore;
  calls: CallRepo;
  /** Outgoing webhooks: call.started and call.ended are queued here as calls begin and end. */
  webhooks: WebhookRepo;
  /** Leads, appointments, secrets (for webhook tools) and consent the agent's calls touch. */
  records: TenantRecords;
  workers: WorkerRegistry;
}

/** Routes for the agent worker; the caller mounts them behind the agent's service credential. */
export function internalRoutes(deps: InternalDeps): Router {
  const { personas, calls, webhooks, records, workers } = deps;
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
    // Consent the visitor gave in the widget, before the call existed, becomes its receipt.
    await records.consents.attachSessionConsent(call.id, call.roomName);
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

  router.use(callToolRoutes({ personas, calls, webhooks, ...records }));

  return router;
}
