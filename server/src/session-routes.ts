import { timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import {
  CreateSessionRequestSchema,
  type ConsentAcceptance,
  type Persona,
} from './contracts/index.js';
import { ApiError } from './api-error.js';
import { assertOriginAllowed } from './origin-policy.js';
import type { PersonaStore } from './persona-store.js';
import type { RateLimiter } from './rate-limiter.js';
import type { SessionIssuer } from './session-issuer.js';
import type { CallRepo, ConsentRepo } from './storage/index.js';
import { parseBody } from './validate.js';

export interface SessionRouteDeps {
  personas: PersonaStore;
  calls: CallRepo;
  /** Consent accepted in the widget waits here for the call of the session's room. */
  consents: ConsentRepo;
  issuer: SessionIssuer;
  /** Per client address. */
  limiter: RateLimiter;
  /** Per persona: caps what one embed can cost, whoever the callers are. */
  personaLimiter: RateLimiter;
  /** Development: any localhost page may open sessions. */
  development: boolean;
}

const sameSecret = (a: string, b: string): boolean =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * The consent a persona requires, checked against what the visitor accepted; answers the
 * acceptance to keep, or nothing when the persona asks for none.
 */
function requiredConsent(
  persona: Persona,
  consent: ConsentAcceptance | undefined,
): ConsentAcceptance | undefined {
  const { requireConsent, consentVersion } = persona.disclosure;
  if (!requireConsent) return undefined;
  if (!consent) {
    throw new ApiError(
      'consent_required',
      `persona '${persona.id}' needs the visitor's consent (version ${consentVersion}) first`,
    );
  }
  if (consent.version !== consentVersion) {
    throw new ApiError(
      'consent_outdated',
      `consent version ${consent.version} is not the current version ${consentVersion}`,
    );
  }
  // A receipt never claims a time after the server heard of it.
  const acceptedAt = new Date(Math.min(Date.parse(consent.acceptedAt), Date.now()));
  return { ...consent, acceptedAt: acceptedAt.toISOString() };
}

export function sessionRoutes(deps: SessionRouteDeps): Router {
  const { personas, calls, consents, issuer, limiter, personaLimiter, development } = deps;
  const router = Router();

  router.post('/v1/sessions', async (req, res) => {
    if (!limiter.hit(req.ip ?? 'unknown')) {
      throw new ApiError('rate_limited', 'too many session requests; try again in a minute');
    }
    const body = parseBody(CreateSessionRequestSchema, req.body);
    const persona = await personas.get(body.persona);
    if (!persona) throw new ApiError('persona_not_found', `no persona '${body.persona}'`);
    assertOriginAllowed(req, persona, development);
    if (persona.embedKey && !sameSecret(body.embedKey ?? '', persona.embedKey)) {
      throw new ApiError('forbidden', `persona '${persona.id}' needs its embed key`);
    }
    const consent = requiredConsent(persona, body.consent);
    if (!personaLimiter.hit(persona.id)) {
      throw new ApiError('rate_limited', `persona '${persona.id}' is busy; try again in a minute`);
    }
    // A returning visitor (the widget keeps their id) is greeted back with what came before.
    const visitorId = body.visitor?.id;
    const history = visitorId ? await calls.historyOfVisitor(visitorId) : undefined;
    const session = await issuer.issue(persona, body, history);
    if (consent) {
      await consents.rememberForSession({
        ...consent,
        roomName: session.roomName,
        personaId: persona.id,
        visitorId,
        origin: req.get('origin')?.slice(0, 2000),
      });
    }
    res.status(201).json(session);
  });

  return router;
}
