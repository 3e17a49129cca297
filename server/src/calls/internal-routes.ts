import { Router } from 'express';
import { z } from 'zod';
import { ApiError } from '../http/api-error.js';
import { callToolRoutes } from './call-tool-routes.js';
import {
  CallCloseSchema,
  CallInputSchema,
  IdempotencyKeySchema,
  TurnInputSchema,
} from '@parley/contracts';
import {
  inboundCallStarted,
  phoneCallEnded,
  withPhoneDirection,
} from '../phone/phone-call-status.js';
import { phoneInternalRoutes } from '../phone/phone-internal-routes.js';
import { actFor, tenantOf } from '../tenants/request-tenant.js';
import type { Tenancy } from '../tenants/tenancy.js';
import { parseBody } from '../http/validate.js';
import type { WorkerRegistry } from '../livekit/worker-registry.js';

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

export const PersonaQuerySchema = z.object({
  /** The dispatch's `tenantId`; the default tenant when absent. */
  tenant: z.string().min(1).max(64).optional(),
});

export interface InternalDeps {
  /**
   * The agent's service key serves every tenant: a persona is looked up in the tenant the
   * dispatch named, a new call is created in the tenant its input names, and everything about a
   * call afterwards acts in the call's tenant.
   */
  tenancy: Tenancy;
  workers: WorkerRegistry;
}

/** Routes for the agent worker; the caller mounts them behind the agent's service credential. */
export function internalRoutes({ tenancy, workers }: InternalDeps): Router {
  const router = Router();

  router.get('/internal/personas/:id', async (req, res) => {
    const notFound = new ApiError('persona_not_found', `no persona '${req.params.id}'`);
    const { tenant: tenantId } = parseBody(PersonaQuerySchema, req.query);
    const tenant = await tenancy.byHint(tenantId, notFound);
    const persona = await tenant.personas.get(req.params.id);
    if (!persona) throw notFound;
    res.json(persona);
  });

  router.post('/internal/workers/heartbeat', (req, res) => {
    const beat = parseBody(HeartbeatSchema, req.body);
    workers.heartbeat(beat.workerId);
    res.status(204).end();
  });

  router.post('/internal/calls', async (req, res) => {
    const input = parseBody(CallInputSchema, req.body);
    const notFound = new ApiError('persona_not_found', `no persona '${input.personaId}'`);
    const tenant = await tenancy.byHint(input.tenantId, notFound);
    const { call, created } = await tenant.calls.ensure(withPhoneDirection(input));
    // Consent the visitor gave in the widget, before the call existed, becomes its receipt.
    await tenant.consents.attachSessionConsent(call.id, call.roomName);
    // Stable event ids: a retried create or close never queues a second delivery.
    await tenant.webhooks.enqueue({
      id: `${call.id}.started`,
      type: 'call.started',
      payload: { call },
    });
    if (created) await inboundCallStarted(tenant, call);
    res.status(created ? 201 : 200).json(call);
  });

  // Everything about one call acts in the call's tenant; an unknown call is then a 404.
  router.use('/internal/calls/:id', async (req, res, next) => {
    actFor(res, await tenancy.ofCall(req.params.id), { kind: 'agent' });
    next();
  });

  router.post('/internal/calls/:id/turns', async (req, res) => {
    const { key, turn } = parseBody(TurnAppendSchema, req.body);
    const appended = await tenantOf(res).calls.appendTurn(req.params.id, key, turn);
    res.status(appended.created ? 201 : 200).json(appended.turn);
  });

  router.post('/internal/calls/:id/close', async (req, res) => {
    const { calls, webhooks } = tenantOf(res);
    const close = parseBody(CallCloseSchema, req.body);
    const call = await phoneCallEnded(
      tenantOf(res),
      (await calls.close(req.params.id, close)).call,
    );
    await webhooks.enqueue({ id: `${call.id}.ended`, type: 'call.ended', payload: { call } });
    // What the agent learnt about the call, once: its summary, lead temperature and cost.
    const { summary, leadTemperature, costUsd } = close;
    if (summary !== undefined || leadTemperature !== undefined || costUsd !== undefined) {
      await webhooks.enqueue({
        id: `${call.id}.insights`,
        type: 'call.insights',
        payload: { callId: call.id, summary, leadTemperature, costUsd },
      });
    }
    res.json(call);
  });

  router.use(callToolRoutes());
  router.use(phoneInternalRoutes(tenancy));

  return router;
}
