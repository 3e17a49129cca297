import { z } from 'zod';
import type { RouteDoc } from './route-doc.js';

const tag = 'Operations';

/** Metrics and this document: what an operator's tooling calls (the probes are in `observability/health-routes.ts`). */
export const OPERATIONS_API: RouteDoc[] = [
  {
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics',
    description:
      'Open to loopback callers (as the client address Express sees it, behind a proxy on ' +
      'loopback the forwarded one); anyone else needs the admin key.',
    tag,
    auth: 'loopbackOrAdmin',
    responses: {
      200: {
        description: 'the Prometheus text exposition format',
        mediaType: 'text/plain; version=0.0.4',
      },
    },
  },
  {
    method: 'get',
    path: '/v1/openapi.json',
    summary: 'This OpenAPI 3.1 document',
    tag,
    auth: 'public',
    responses: {
      200: { description: 'the document', schema: z.record(z.unknown()) },
    },
  },
];
