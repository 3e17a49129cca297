import { z } from 'zod';
import { HealthSchema } from './response-schemas.js';
import type { RouteDoc } from './route-doc.js';

const tag = 'Operations';

/** Probes, metrics and this document: what an operator's tooling calls. */
export const OPERATIONS_API: RouteDoc[] = [
  {
    method: 'get',
    path: '/healthz',
    summary: 'Whether the server, livekit-server, an agent worker and livekit-sip are all ready',
    description:
      'livekit-sip is checked only when the server has `PARLEY_SIP_HEALTH_URL`; otherwise its ' +
      "check reads 'not configured' and does not hold readiness back.",
    tag,
    auth: 'public',
    responses: {
      200: { description: 'ready to take calls', schema: HealthSchema },
      503: {
        description: 'livekit-server or livekit-sip unreachable, or no agent worker',
        schema: HealthSchema,
      },
    },
  },
  {
    method: 'get',
    path: '/readyz',
    summary: 'Readiness: the same check as /healthz',
    description: 'A load balancer sends calls here only while this answers 200.',
    tag,
    auth: 'public',
    responses: {
      200: { description: 'ready to take calls', schema: HealthSchema },
      503: {
        description: 'livekit-server or livekit-sip unreachable, or no agent worker',
        schema: HealthSchema,
      },
    },
  },
  {
    method: 'get',
    path: '/livez',
    summary: 'Liveness: 200 while the process serves requests',
    tag,
    auth: 'public',
    responses: { 200: { description: 'alive', schema: z.object({ status: z.literal('ok') }) } },
  },
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
