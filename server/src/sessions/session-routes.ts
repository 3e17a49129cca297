import type { Router } from 'express';
import { CreateSessionRequestSchema } from '@parley/contracts';
import { ApiError } from '../http/api-error.js';
import { AtCapacityError } from '../domain-errors.js';
import { sameSecret } from '../tenants/bearer-auth.js';
import { assertOriginAllowed } from './origin-policy.js';
import { requiredConsent } from '../consent/required-consent.js';
import { enforceLimit, type RateLimiter } from '../http/rate-limiter.js';
import { dispatchOf, type SessionIssuer } from './session-issuer.js';
import type { StandbyRooms } from './standby-rooms.js';
import type { Tenancy } from '../tenants/tenancy.js';
import type { WorkerRegistry } from '../livekit/worker-registry.js';
import { parseBody } from '../http/validate.js';
import { defineRoute, routerOf } from '../http/define-route.js';
import { SessionResponseSchema } from '../openapi/response-schemas.js';

export interface SessionRouteDeps {
  /**
   * Finds the persona a request names (`sales`, or `acme/sales` for tenant acme's); the session
   * then belongs to that persona's tenant.
   */
  tenancy: Tenancy;
  issuer: SessionIssuer;
  /** The agent workers and their calls: a session is handed out only if one can serve it. */
  workers: WorkerRegistry;
  /** Per client address. */
  limiter: RateLimiter;
  /** Per persona: caps what one embed can cost, whoever the callers are. */
  personaLimiter: RateLimiter;
  /** Development: any localhost page may open sessions. */
  development: boolean;
  /** Rooms with an agent already waiting, taken before a fresh room is made. */
  standby?: StandbyRooms;
}

/**
 * Takes a call slot on the agent workers; when every worker is full, 503 `at_capacity` with the
 * seconds to wait (Retry-After), before any room is made.
 */
async function admitCall(workers: WorkerRegistry): Promise<void> {
  const admission = await workers.admit();
  if (!admission.admitted) throw new AtCapacityError(admission.retryAfterSeconds);
}

/** The public session route: what the widget asks for before it joins a room. */
export const SESSION_ROUTES = [
  defineRoute({
    method: 'post',
    path: '/v1/sessions',
    summary: 'Open a web voice session',
    description:
      "The browser's `Origin` must be the server's own or listed in the persona's " +
      '`allowedOrigins`; rate limited per client address and per persona. The token admits one ' +
      'identity to one room, a fresh one or a standby one whose agent is already waiting, and ' +
      "dispatches the agent. `persona` is an id of the default tenant's, or " +
      '`<tenant-slug>/<persona-id>`. When every agent worker is busy it answers ' +
      '503 `at_capacity` with `Retry-After` instead of a room no agent would enter.',
    tag: 'Web sessions',
    auth: 'public',
    body: CreateSessionRequestSchema,
    // The client's rate limit is enforced before the body is read.
    parseBody: false,
    responses: { 201: { description: 'the session', schema: SessionResponseSchema } },
    errors: [
      'origin_not_allowed',
      'forbidden',
      'consent_required',
      'persona_not_found',
      'consent_outdated',
      'rate_limited',
      'at_capacity',
    ],
    async handler({ req, res }, deps: SessionRouteDeps) {
      const { tenancy, issuer, workers, limiter, personaLimiter, development, standby } = deps;
      await enforceLimit(
        res,
        limiter,
        req.ip ?? 'unknown',
        'too many session requests; try again in a minute',
      );
      const body = parseBody(CreateSessionRequestSchema, req.body);
      const { tenant, persona } = await tenancy.persona(body.persona);
      assertOriginAllowed(req, persona, development);
      if (persona.embedKey && !sameSecret(body.embedKey ?? '', persona.embedKey)) {
        throw new ApiError('forbidden', `persona '${persona.id}' needs its embed key`);
      }
      const consent = requiredConsent(persona, body.consent);
      await enforceLimit(
        res,
        personaLimiter,
        `${tenant.tenantId}/${persona.id}`,
        `persona '${persona.id}' is busy; try again in a minute`,
      );
      // Only another tenant's sessions name their tenant: the default tenant's dispatch is as it
      // was before there were tenants, and an agent that predates them still serves it.
      const tenantId = tenant.tenantId === tenancy.defaultTenantId ? undefined : tenant.tenantId;
      // A standby room's agent already holds a call slot: the session takes it with the room.
      const taken = standby?.take({ persona, tenantId });
      if (!taken) await admitCall(workers);
      // A returning visitor (the widget keeps their id) is greeted back with what came before.
      const visitorId = body.visitor?.id;
      const history = visitorId ? await tenant.calls.historyOfVisitor(visitorId) : undefined;
      const context = { history, tenantId };
      let session = await issuer.issue(persona, body, { ...context, roomName: taken?.roomName });
      if (standby && taken) {
        const claim = { ...dispatchOf(persona, body, context), identity: session.identity };
        const claimed = await standby
          .claim(taken, { ...claim, claim: true, reload: taken.reload })
          .then(() => true)
          .catch(() => false);
        if (!claimed) {
          // The standby room is closed: a fresh room, on a call slot of its own.
          await admitCall(workers);
          session = await issuer.issue(persona, body, context);
        }
      }
      void standby?.refill();
      // LiveKit's events for the room name only the room: they find the tenant through it.
      await tenant.rooms.remember(session.roomName);
      if (consent) {
        await tenant.consents.rememberForSession({
          ...consent,
          roomName: session.roomName,
          personaId: persona.id,
          visitorId,
          origin: req.get('origin')?.slice(0, 2000),
        });
      }
      res.status(201).json(session);
    },
  }),
];

export function sessionRoutes(deps: SessionRouteDeps): Router {
  return routerOf(SESSION_ROUTES, deps);
}
