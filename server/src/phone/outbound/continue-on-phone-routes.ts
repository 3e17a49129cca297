import type { Request, Router } from 'express';
import { TokenVerifier } from 'livekit-server-sdk';
import { ApiError } from '../../http/api-error.js';
import {
  ContinueOnPhoneRequestSchema,
  ContinueOnPhoneResponseSchema,
  type Call,
} from '@parley/contracts';
import { defineRoute, routerOf } from '../../http/define-route.js';
import { enforceLimit, type RateLimiter } from '../../http/rate-limiter.js';
import type { Tenancy } from '../../tenants/tenancy.js';
import { parseBody } from '../../http/validate.js';
import type { OutboundPhone } from './outbound-phone.js';

export interface ContinueOnPhoneDeps {
  tenancy: Tenancy;
  outbound: OutboundPhone;
  /** The key pair LiveKit tokens are signed with: the visitor's token is the credential. */
  livekitApiKey: string;
  livekitApiSecret: string;
  /** Per client address, like session requests. */
  limiter: RateLimiter;
  /** Per room: a visitor cannot make Parley ring phones over and over. */
  roomLimiter: RateLimiter;
}

/**
 * A visitor's session outlives its token (tokens only admit the join): an expired token still
 * names its room and identity, and the visitor must still be in that room.
 */
const TOKEN_GRACE_SECONDS = 4 * 3600;

const unauthorized = () =>
  new ApiError('unauthorized', "the visitor's LiveKit token is missing or invalid");

/** The room and identity the visitor's own LiveKit token admits. */
async function visitorOf(
  req: Request,
  verifier: TokenVerifier,
): Promise<{ roomName: string; identity: string }> {
  const token = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
  if (!token) throw unauthorized();
  const claims = await verifier.verify(token, TOKEN_GRACE_SECONDS).catch(() => {
    throw unauthorized();
  });
  const roomName = claims.video?.room;
  const identity = claims.sub;
  if (!claims.video?.roomJoin || !roomName || !identity) throw unauthorized();
  return { roomName, identity };
}

/** What the route needs: its dependencies and the verifier of visitors' tokens. */
interface ContinueOnPhoneState extends ContinueOnPhoneDeps {
  verifier: TokenVerifier;
}

/** Public: `POST /v1/sessions/phone`, the widget's "continue on my phone". */
export const CONTINUE_ON_PHONE_ROUTES = [
  defineRoute({
    method: 'post',
    path: '/v1/sessions/phone',
    summary: "Continue a web call on the visitor's phone",
    description:
      "`Authorization: Bearer <the visitor's LiveKit token>`: its room and identity name the " +
      'call, and the visitor must still be in it. The persona must allow it ' +
      '(`phone.continueOnPhone`); the do-not-call list, dial policy and concurrent-call limit ' +
      'apply. The phone is dialled into the same room with `parley.leg` = `continue-on-phone`. ' +
      'Rate limited per client address and per call.',
    tag: 'Web sessions',
    auth: 'public',
    body: ContinueOnPhoneRequestSchema,
    // The rate limit and the visitor's token are checked before the body.
    parseBody: false,
    responses: { 202: { description: 'dialling', schema: ContinueOnPhoneResponseSchema } },
    errors: [
      'unauthorized',
      'forbidden',
      'conflict',
      'persona_not_found',
      'continue_on_phone_disabled',
      'do_not_call',
      'destination_not_allowed',
      'phone_call_limit',
      'no_outbound_trunk',
      'rate_limited',
      'sip_unavailable',
    ],
    async handler({ req, res }, state: ContinueOnPhoneState) {
      const { tenancy, outbound, limiter, roomLimiter, verifier } = state;
      await enforceLimit(
        res,
        limiter,
        req.ip ?? 'unknown',
        'too many requests; try again in a minute',
      );
      const { roomName, identity } = await visitorOf(req, verifier);
      const { to } = parseBody(ContinueOnPhoneRequestSchema, req.body);
      await enforceLimit(
        res,
        roomLimiter,
        roomName,
        'this call already asked to be dialled too often',
      );
      const tenant = await tenancy.ofRoom(roomName);
      const call = await callOfRoom(tenant, roomName);
      if (!call || call.status !== 'active') {
        throw new ApiError('conflict', 'there is no call in progress in this session');
      }
      const persona = await tenant.personas.get(call.personaId);
      if (!persona) throw new ApiError('persona_not_found', `no persona '${call.personaId}'`);
      if (!persona.phone.continueOnPhone) {
        throw new ApiError(
          'continue_on_phone_disabled',
          `persona '${persona.id}' does not offer to continue on the phone`,
        );
      }
      if (!(await outbound.phoneDialer.isInRoom(roomName, identity))) {
        throw new ApiError('forbidden', 'only a visitor who is in the call may move it to a phone');
      }
      res.status(202).json(await outbound.continueOnPhone(tenant, call, persona, to));
    },
  }),
];

export function continueOnPhoneRoutes(deps: ContinueOnPhoneDeps): Router {
  const verifier = new TokenVerifier(deps.livekitApiKey, deps.livekitApiSecret);
  return routerOf(CONTINUE_ON_PHONE_ROUTES, { ...deps, verifier });
}

/** How long a request waits for the agent to record a call that has only just started. */
const CALL_RECORD_WAIT_MS = 10_000;

/**
 * The room's call: the agent records it once it has joined and loaded the persona, a few
 * seconds into the call on a busy host, and a visitor may ask for their phone before that.
 */
async function callOfRoom(
  tenant: Awaited<ReturnType<Tenancy['ofRoom']>>,
  roomName: string,
): Promise<Call | undefined> {
  const deadline = Date.now() + CALL_RECORD_WAIT_MS;
  for (;;) {
    const call = await tenant.calls.getByRoom(roomName);
    if (call || Date.now() >= deadline) return call;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
