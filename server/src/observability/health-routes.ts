import { Router } from 'express';
import type { WorkerRegistry } from '../livekit/worker-registry.js';

export type Check = () => Promise<boolean>;

export interface HealthDeps {
  livekitReady: Check;
  workers: WorkerRegistry;
  /** livekit-sip's health (`PARLEY_SIP_HEALTH_URL`); absent when phone calls are not configured. */
  sipReady?: Check;
}

/**
 * `GET /healthz` (and `/readyz`, its name for readiness probes) is 200 only when this server,
 * livekit-server, at least one registered agent worker and (when configured) livekit-sip are all
 * ready; otherwise 503 with which part is not. `GET /livez` is 200 whenever the process serves requests at all: a liveness probe
 * must not restart a server that only waits for LiveKit or an agent.
 */
export function healthRoutes({ livekitReady, workers, sipReady }: HealthDeps): Router {
  const router = Router();

  router.get(['/healthz', '/readyz'], async (_req, res) => {
    const [livekit, sip] = await Promise.all([
      livekitReady().catch(() => false),
      sipReady ? sipReady().catch(() => false) : undefined,
    ]);
    const agentWorkers = workers.liveWorkers().length;
    const checks = {
      server: 'ok',
      livekit: livekit ? 'ok' : 'unreachable',
      agent: agentWorkers > 0 ? 'ok' : 'no registered worker',
      sip: sip === undefined ? 'not configured' : sip ? 'ok' : 'unreachable',
    };
    const ready = livekit && agentWorkers > 0 && sip !== false;
    res.status(ready ? 200 : 503).json({ status: ready ? 'ok' : 'starting', checks, agentWorkers });
  });

  router.get('/livez', (_req, res) => {
    res.json({ status: 'ok' });
  });

  return router;
}
