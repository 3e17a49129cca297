import { Router, type Request } from 'express';
import { CreateSessionRequestSchema } from './contracts/index.js';
import { ApiError } from './api-error.js';
import { isOriginAllowed } from './origin-policy.js';
import type { PersonaStore } from './persona-store.js';
import type { RateLimiter } from './rate-limiter.js';
import type { SessionIssuer } from './session-issuer.js';
import { parseBody } from './validate.js';

export interface SessionRouteDeps {
  personas: PersonaStore;
  issuer: SessionIssuer;
  limiter: RateLimiter;
}

function ownOrigin(req: Request): Set<string> {
  const host = req.get('host');
  return new Set(host ? [`${req.protocol}://${host}`] : []);
}

export function sessionRoutes({ personas, issuer, limiter }: SessionRouteDeps): Router {
  const router = Router();

  router.post('/v1/sessions', async (req, res) => {
    if (!limiter.hit(req.ip ?? 'unknown')) {
      throw new ApiError('rate_limited', 'too many session requests; try again in a minute');
    }
    const body = parseBody(CreateSessionRequestSchema, req.body);
    const persona = await personas.get(body.persona);
    if (!persona) throw new ApiError('persona_not_found', `no persona '${body.persona}'`);
    const origin = req.get('origin');
    if (!isOriginAllowed(origin, persona, ownOrigin(req))) {
      throw new ApiError(
        'origin_not_allowed',
        `origin ${origin} may not use persona '${persona.id}'`,
      );
    }
    res.status(201).json(await issuer.issue(persona, body));
  });

  return router;
}
