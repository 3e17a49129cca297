import { timingSafeEqual } from 'node:crypto';
import { Router, type Request } from 'express';
import { CreateSessionRequestSchema } from './contracts/index.js';
import { ApiError } from './api-error.js';
import { isOriginAllowed } from './origin-policy.js';
import type { PersonaStore } from './persona-store.js';
import type { RateLimiter } from './rate-limiter.js';
import type { SessionIssuer } from './session-issuer.js';
import type { CallRepo } from './storage/index.js';
import { parseBody } from './validate.js';

export interface SessionRouteDeps {
  personas: PersonaStore;
  calls: CallRepo;
  issuer: SessionIssuer;
  /** Per client address. */
  limiter: RateLimiter;
  /** Per persona: caps what one embed can cost, whoever the callers are. */
  personaLimiter: RateLimiter;
  /** Development: any localhost page may open sessions. */
  development: boolean;
}

function ownOrigin(req: Request): Set<string> {
  const host = req.get('host');
  return new Set(host ? [`${req.protocol}://${host}`] : []);
}

const sameSecret = (a: string, b: string): boolean =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export function sessionRoutes(deps: SessionRouteDeps): Router {
  const { personas, calls, issuer, limiter, personaLimiter, development } = deps;
  const router = Router();

  router.post('/v1/sessions', async (req, res) => {
    if (!limiter.hit(req.ip ?? 'unknown')) {
      throw new ApiError('rate_limited', 'too many session requests; try again in a minute');
    }
    const body = parseBody(CreateSessionRequestSchema, req.body);
    const persona = await personas.get(body.persona);
    if (!persona) throw new ApiError('persona_not_found', `no persona '${body.persona}'`);
    const origin = req.get('origin');
    if (!isOriginAllowed(origin, persona, ownOrigin(req), development)) {
      throw new ApiError(
        'origin_not_allowed',
        `origin ${origin} may not use persona '${persona.id}'`,
      );
    }
    if (persona.embedKey && !sameSecret(body.embedKey ?? '', persona.embedKey)) {
      throw new ApiError('forbidden', `persona '${persona.id}' needs its embed key`);
    }
    if (!personaLimiter.hit(persona.id)) {
      throw new ApiError('rate_limited', `persona '${persona.id}' is busy; try again in a minute`);
    }
    // A returning visitor (the widget keeps their id) is greeted back with what came before.
    const visitorId = body.visitor?.id;
    const history = visitorId ? await calls.historyOfVisitor(visitorId) : undefined;
    res.status(201).json(await issuer.issue(persona, body, history));
  });

  return router;
}
