import { Router } from 'express';
import type { WorkerRegistry } from './worker-registry.js';

export type Check = () => Promise<boolean>;

export interface HealthDeps {
  livekitReady: Check;
  workers: WorkerRegistry;
}

/**
 * `GET /healthz` is 200 only when this server, livekit-server and at least one registered agent
 * worker are all ready; otherwise 503 with which part is not.
 */
export function healthRoutes({ livekitReady, workers }: HealthDeps): Router {
  const router = Router();

  router.get('/healthz', async (_req, res) => {
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

  return router;
}
