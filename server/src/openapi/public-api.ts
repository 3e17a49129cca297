import { z } from 'zod';
import type { RouteDoc } from './route-doc.js';

/** What LiveKit calls, without a Parley key. */
export const PUBLIC_API: RouteDoc[] = [
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
