import type { Check } from '../observability/health-routes.js';

/**
 * A readiness check of livekit-sip: its health server (`health_port`) answers 200 while the
 * bridge takes calls (429 when it would refuse them for load). Gives up after `timeoutMs`.
 */
export function sipHealthCheck(url: string, timeoutMs = 2000): Check {
  return async () => {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await res.body?.cancel();
    return res.ok;
  };
}
