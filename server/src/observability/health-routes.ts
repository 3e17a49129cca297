import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { defineRoute, routerOf } from '../http/define-route.js';
import type { WorkerRegistry } from '../livekit/worker-registry.js';
import { HealthSchema } from '../openapi/response-schemas.js';

export type Check = () => Promise<boolean>;

export interface HealthDeps {
  livekitReady: Check;
  workers: WorkerRegistry;
  /** livekit-sip's health (`PARLEY_SIP_HEALTH_URL`); absent when phone calls are not configured. */
  sipReady?: Check;
}

const tag = 'Operations';

const readiness = {
  200: { description: 'ready to take calls', schema: HealthSchema },
  503: {
    description: 'livekit-server or livekit-sip unreachable, or no agent worker',
    schema: HealthSchema,
  },
};

async function answerReadiness(
  { res }: { req: Request; res: Response },
  { livekitReady, workers, sipReady }: HealthDeps,
): Promise<void> {
  const [livekit, sip, live] = await Promise.all([
    livekitReady().catch(() => false),
    sipReady ? sipReady().catch(() => false) : undefined,
    workers.liveWorkers(),
  ]);
  const agentWorkers = live.length;
  const checks = {
    server: 'ok',
    livekit: livekit ? 'ok' : 'unreachable',
    agent: agentWorkers > 0 ? 'ok' : 'no registered worker',
    sip: sip === undefined ? 'not configured' : sip ? 'ok' : 'unreachable',
  };
  const ready = livekit && agentWorkers > 0 && sip !== false;
  res.status(ready ? 200 : 503).json({ status: ready ? 'ok' : 'starting', checks, agentWorkers });
}

/**
 * `GET /healthz` (and `/readyz`, its name for readiness probes) is 200 only when this server,
 * livekit-server, at least one registered agent worker and (when configured) livekit-sip are all
 * ready; otherwise 503 with which part is not. `GET /livez` is 200 whenever the process serves
 * requests at all: a liveness probe must not restart a server that only waits for LiveKit or an
 * agent.
 */
export const HEALTH_ROUTES = [
  defineRoute({
    method: 'get',
    path: '/healthz',
    summary: 'Whether the server, livekit-server, an agent worker and livekit-sip are all ready',
    description:
      'livekit-sip is checked only when the server has `PARLEY_SIP_HEALTH_URL`; otherwise its ' +
      "check reads 'not configured' and does not hold readiness back.",
    tag,
    auth: 'public',
    responses: readiness,
    handler: answerReadiness,
  }),
  defineRoute({
    method: 'get',
    path: '/readyz',
    summary: 'Readiness: the same check as /healthz',
    description: 'A load balancer sends calls here only while this answers 200.',
    tag,
    auth: 'public',
    responses: readiness,
    handler: answerReadiness,
  }),
  defineRoute({
    method: 'get',
    path: '/livez',
    summary: 'Liveness: 200 while the process serves requests',
    tag,
    auth: 'public',
    responses: { 200: { description: 'alive', schema: z.object({ status: z.literal('ok') }) } },
    handler({ res }, _deps: HealthDeps) {
      res.json({ status: 'ok' });
    },
  }),
];

export function healthRoutes(deps: HealthDeps): Router {
  return routerOf(HEALTH_ROUTES, deps);
}
