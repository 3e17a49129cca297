import { z } from 'zod';
import {
  CreateSessionRequestSchema,
  WidgetConfigQuerySchema,
  WidgetConfigSchema,
} from '@parley/contracts';
import { SessionResponseSchema } from './response-schemas.js';
import type { RouteDoc } from './route-doc.js';

/** What a web page (the widget) and LiveKit call, without a Parley key. */
export const PUBLIC_API: RouteDoc[] = [
  {
    method: 'post',
    path: '/v1/sessions',
    summary: 'Open a web voice session',
    description:
      "The browser's `Origin` must be the server's own or listed in the persona's " +
      '`allowedOrigins`; rate limited per client address and per persona. The token admits one ' +
      'identity to one fresh room and dispatches the agent. `persona` is an id of the default ' +
      "tenant's, or `<tenant-slug>/<persona-id>`.",
    tag: 'Web sessions',
    auth: 'public',
    body: CreateSessionRequestSchema,
    responses: { 201: { description: 'the session', schema: SessionResponseSchema } },
    errors: [
      'origin_not_allowed',
      'forbidden',
      'consent_required',
      'persona_not_found',
      'consent_outdated',
      'rate_limited',
    ],
  },
  {
    method: 'get',
    path: '/v1/widget-config',
    summary: 'What the widget shows before it asks for a session',
    description:
      "The persona's name and language, and the consent wording when the persona asks for " +
      'consent before the microphone opens. Same origin policy as `POST /v1/sessions`.',
    tag: 'Web sessions',
    auth: 'public',
    query: WidgetConfigQuerySchema,
    responses: { 200: { description: 'the configuration', schema: WidgetConfigSchema } },
    errors: ['origin_not_allowed', 'persona_not_found'],
  },
  {
    method: 'post',
    path: '/webhooks/livekit',
    summary: "LiveKit's room and participant events",
    description:
      'Verified on the raw body; stale (older than 5 minutes) or replayed events are refused. ' +
      'A `room_finished` for a call still open closes it provisionally.',
    tag: 'LiveKit',
    auth: 'livekit',
    body: z.record(z.unknown()).describe("LiveKit's WebhookEvent, as livekit-server sends it"),
    bodyMediaType: 'application/webhook+json',
    responses: { 204: { description: 'received' } },
    errors: ['conflict'],
  },
];
