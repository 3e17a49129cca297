import express, { type Router } from 'express';
import { WebhookReceiver, type WebhookEvent } from 'livekit-server-sdk';
import { z } from 'zod';
import { ApiError } from '../http/api-error.js';
import { defineRoute, routerOf } from '../http/define-route.js';
import type { Queryable } from '../storage/database.js';
import { ReceivedEventRepo } from './received-event-repo.js';

export type LivekitEventHandler = (event: WebhookEvent) => Promise<void> | void;

export interface LivekitWebhookOptions {
  /** Where the event ids already received are kept, for every server replica to see. */
  db: Queryable;
  apiKey: string;
  apiSecret: string;
  onEvent: LivekitEventHandler;
  /** Events older than this are refused as replays. */
  maxAgeMs?: number;
  now?: () => number;
}

/** What the route keeps between events: the verifier and where event ids received are noted. */
interface LivekitWebhookState {
  receiver: WebhookReceiver;
  maxAgeMs: number;
  now: () => number;
  received: ReceivedEventRepo;
  /** When this replica last deleted the ids too old to matter (any replica's). */
  prunedAt: number;
  onEvent: LivekitEventHandler;
}

/**
 * `POST /webhooks/livekit`: LiveKit's signed events. The signature covers the raw body, so this
 * route reads it raw before any JSON parser touches it. A forged signature, a stale event, or an
 * event id any server replica has received before is refused.
 */
export const LIVEKIT_WEBHOOK_ROUTES = [
  defineRoute({
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
    // The signature is checked on the raw body; the receiver parses it.
    parseBody: false,
    before: [express.raw({ type: '*/*', limit: '256kb' })],
    responses: { 204: { description: 'received' } },
    errors: ['conflict'],
    async handler({ req, res }, state: LivekitWebhookState) {
      const { receiver, maxAgeMs, now, received } = state;
      const body = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
      let event: WebhookEvent;
      try {
        event = await receiver.receive(body, req.get('authorization') ?? undefined);
      } catch {
        throw new ApiError('unauthorized', 'webhook signature is missing or invalid');
      }
      const createdMs = Number(event.createdAt) * 1000;
      if (!event.id || !Number.isFinite(createdMs) || Math.abs(now() - createdMs) > maxAgeMs) {
        throw new ApiError('unauthorized', 'webhook event is stale or has no id');
      }
      const at = now();
      // Ids older than the window count for nothing anyway; deleting them once a window is enough.
      if (at - state.prunedAt >= maxAgeMs) {
        state.prunedAt = at;
        await received.forgetBefore(new Date(at - maxAgeMs));
      }
      if (!(await received.receive(event.id, new Date(at), new Date(at - maxAgeMs)))) {
        throw new ApiError('conflict', `webhook event ${event.id} was already received`);
      }
      await state.onEvent(event);
      res.status(204).end();
    },
  }),
];

export function livekitWebhookRoutes(options: LivekitWebhookOptions): Router {
  return routerOf(LIVEKIT_WEBHOOK_ROUTES, {
    receiver: new WebhookReceiver(options.apiKey, options.apiSecret),
    maxAgeMs: options.maxAgeMs ?? 5 * 60_000,
    now: options.now ?? Date.now,
    received: new ReceivedEventRepo(options.db),
    prunedAt: -Infinity,
    onEvent: options.onEvent,
  });
}
