import { isIP } from 'node:net';
import type { Router } from 'express';
import { defineRoute, routerOf } from '../http/define-route.js';
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
export const METRICS_ROUTES = [
  defineRoute({
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics',
    description:
      'Open to loopback callers (as the client address Express sees it, behind a proxy on ' +
      'loopback the forwarded one); anyone else needs the admin key.',
    tag: 'Operations',
    auth: 'loopbackOrAdmin',
    responses: {
      200: {
        description: 'the Prometheus text exposition format',
        mediaType: 'text/plain; version=0.0.4',
      },
    },
    before: ({ adminKey }: MetricsRouteDeps) => {
      const adminOnly = requireBearer(adminKey);
      return [(req, res, next) => (isLoopback(req.ip) ? next() : adminOnly(req, res, next))];
    },
    async handler({ res }, { metrics }: MetricsRouteDeps) {
      res.type(metrics.contentType).send(await metrics.text());
    },
  }),
];

export function metricsRoutes(deps: MetricsRouteDeps): Router {
  return routerOf(METRICS_ROUTES, deps);
}
