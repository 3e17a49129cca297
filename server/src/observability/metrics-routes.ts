import { isIP } from 'node:net';
import { Router } from 'express';
import { requireBearer } from '../tenants/bearer-auth.js';
import type { ServerMetrics } from './metrics.js';

export interface MetricsRouteDeps {
  metrics: ServerMetrics;
  adminKey: string;
}

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 (`::ffff:127.0.0.1`). */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  if (isIP(v4) === 4) return v4.startsWith('127.');
  return address === '::1';
}

/**
 * `GET /metrics`: a Prometheus scraper on the same host needs no credential; anyone else needs
 * the admin key. The address is `req.ip`, which honours `X-Forwarded-For` only from a proxy on
 * loopback (`trust proxy`), so a reverse proxy on this host must set it for this check to see
 * the real client.
 */
export function metricsRoutes({ metrics, adminKey }: MetricsRouteDeps): Router {
  const router = Router();
  const adminOnly = requireBearer(adminKey);
  router.get(
    '/metrics',
    (req, res, next) => (isLoopback(req.ip) ? next() : adminOnly(req, res, next)),
    async (_req, res) => {
      res.type(metrics.contentType).send(await metrics.text());
    },
  );
  return router;
}
