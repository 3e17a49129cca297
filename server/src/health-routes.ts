import { Router } from 'express';
import type { WorkerRegistry } from './worker-registry.js';

export type Check = () => Promise<boolean>;

export interface HealthDeps {
  livekitReady: Check;
  workers: WorkerRegistry;
}

/**
 * `GET /healthz` (and `/readyz`, its name for readiness probes) is 200 only when this server,
 * livekit-server and at least one registered agent worker are all ready; otherwise 503 with which
 * part is not. `GET /livez` is 200 whenever the process serves requests at all: a liveness probe
 * must not restart a server that only waits for LiveKit or an agent.
 */
export function healthRoutes({ livekitReady, workers }: HealthDeps): Router {
  const router = Router();

  router.get(['/healthz', '/readyz'], async (_req, res) => {
    const livekit = await livekitReady().catch(() => false);
    const agentWorkers = workers.liveWorkers().length;
    const checks = {
      server: 'ok',
      livekit: livekit ? 'ok' : 'unreachable',
      agent: agentWorkers > 0 ? 'ok' : 'no registered worker',
    };
    const ready = livekit && agentWorkers > 0;
    res.status(ready ? 200 : 503).json({ status: ready ? 'ok' : 'starting', checks, agentWorkers });
  });

  router.get('/livez', (_req, res) => {
    res.json({ status: 'ok' });
  });

  return router;
}
