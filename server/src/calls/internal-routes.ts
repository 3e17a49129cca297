import { Router } from 'express';
import {
  CallCloseSchema,
  CallInputSchema,
  CallSchema,
  HeartbeatSchema,
  INTERNAL_ROUTES,
  PersonaQuerySchema,
  PersonaSchema,
  TurnAppendSchema,
  TurnSchema,
} from '@parley/contracts';
import { NotFoundError } from '../domain-errors.js';
import { defineRoute } from '../http/define-route.js';
import type { OutgoingGuard } from '../http/outgoing-guard.js';
import type { WorkerRegistry } from '../livekit/worker-registry.js';
import {
  inboundCallStarted,
  phoneCallEnded,
  withPhoneDirection,
} from '../phone/phone-call-status.js';
import { phoneInternalRoutes } from '../phone/phone-internal-routes.js';
import { callbackRoutes } from '../phone/outbound/callback-routes.js';
import { optOutRoutes } from '../phone/outbound/opt-out-routes.js';
import { actFor, tenantOf } from '../tenants/request-tenant.js';
import type { Tenancy } from '../tenants/tenancy.js';
import { callToolRoutes } from './call-tool-routes.js';

export interface InternalDeps {
  /**
   * The agent's service key serves every tenant: a persona is looked up in the tenant the
   * dispatch named, a new call is created in the tenant its input names, and everything about a
   * call afterwards acts in the call's tenant.
   */
  tenancy: Tenancy;
  workers: WorkerRegistry;
  /** Where webhook tools may connect. */
  outgoing: OutgoingGuard;
}

const tag = 'Agent (internal)';
const auth = 'agent';

/** What the agent worker asks before a call has a tenant bound: its persona, its heartbeat, a new call. */
const UNBOUND_ROUTES = [
  defineRoute({
    method: 'get',
    path: INTERNAL_ROUTES.persona,
    summary: 'The persona a job runs',
    description: "In the tenant the dispatch named (`tenant`), the default tenant's without it.",
    tag,
    auth,
    query: PersonaQuerySchema,
    responses: { 200: { description: 'the persona', schema: PersonaSchema } },
    errors: ['persona_not_found'],
    async handler({ res, params, query }, { tenancy }: InternalDeps) {
      const notFound = new NotFoundError('persona_not_found', `no persona '${params.id}'`);
      const tenant = await tenancy.byHint(query.tenant, notFound);
      const persona = await tenant.personas.get(params.id);
      if (!persona) throw notFound;
      res.json(persona);
    },
  }),
  defineRoute({
    method: 'post',
    path: INTERNAL_ROUTES.workerHeartbeat,
    summary: 'A worker says it is registered with LiveKit (feeds /healthz)',
    tag,
    auth,
    body: HeartbeatSchema,
    responses: { 204: { description: 'noted' } },
    async handler({ res, body }, { workers }: InternalDeps) {
      const { activeJobs, maxJobs } = body;
      const load = activeJobs !== undefined && maxJobs !== undefined;
      await workers.heartbeat(body.workerId, load ? { activeJobs, maxJobs } : undefined);
      res.status(204).end();
    },
  }),
  defineRoute({
    method: 'post',
    path: INTERNAL_ROUTES.calls,
    summary: "Start a room's call record (idempotent per room)",
    description: 'Queues the `call.started` webhook.',
    tag,
    auth,
    body: CallInputSchema,
    responses: {
      201: { description: 'started', schema: CallSchema },
      200: { description: 'the room already had this call', schema: CallSchema },
    },
    errors: ['persona_not_found'],
    async handler({ res, body: input }, { tenancy }: InternalDeps) {
      const notFound = new NotFoundError('persona_not_found', `no persona '${input.personaId}'`);
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
    },
  }),
];

/** What the agent records of one call, in the call's tenant. */
const CALL_RECORD_ROUTES = [
  defineRoute({
    method: 'post',
    path: INTERNAL_ROUTES.callTurns,
    summary: 'Append a turn (idempotent per key)',
    tag,
    auth,
    body: TurnAppendSchema,
    responses: {
      201: { description: 'appended', schema: TurnSchema },
      200: { description: 'a turn with this key was already there', schema: TurnSchema },
    },
    errors: ['not_found', 'conflict'],
    async handler({ res, params, body: { key, turn } }) {
      const appended = await tenantOf(res).calls.appendTurn(params.id, key, turn);
      res.status(appended.created ? 201 : 200).json(appended.turn);
    },
  }),
  defineRoute({
    method: 'post',
    path: INTERNAL_ROUTES.callClose,
    summary: 'End a call (outcome, summary, lead temperature, cost)',
    description: 'Queues the `call.ended` webhook. The first close by the agent wins.',
    tag,
    auth,
    body: CallCloseSchema,
    responses: { 200: { description: 'the ended call', schema: CallSchema } },
    errors: ['not_found'],
    async handler({ res, params, body: close }) {
      const { calls, webhooks } = tenantOf(res);
      const call = await phoneCallEnded(tenantOf(res), (await calls.close(params.id, close)).call);
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
    },
  }),
];

/** The agent's internal call API declared here; the call's tools and phone legs declare their own. */
export const AGENT_CALL_ROUTES = [...UNBOUND_ROUTES, ...CALL_RECORD_ROUTES];

/** Routes for the agent worker; the caller mounts them behind the agent's service credential. */
export function internalRoutes(deps: InternalDeps): Router {
  const router = Router();
  for (const route of UNBOUND_ROUTES) route.mount(router, deps);
  // Everything about one call acts in the call's tenant; an unknown call is then a 404.
  router.use(INTERNAL_ROUTES.call, async (req, res, next) => {
    actFor(res, await deps.tenancy.ofCall(req.params.id), { kind: 'agent' });
    next();
  });
  for (const route of CALL_RECORD_ROUTES) route.mount(router, undefined);
  router.use(callToolRoutes({ outgoing: deps.outgoing }));
  router.use(phoneInternalRoutes(deps.tenancy));
  router.use(optOutRoutes());
  router.use(callbackRoutes());
  return router;
}
