import express, { Router } from 'express';
import { WebhookReceiver, type WebhookEvent } from 'livekit-server-sdk';
import { ApiError } from '../http/api-error.js';

export type LivekitEventHandler = (event: WebhookEvent) => Promise<void> | void;

export interface LivekitWebhookOptions {
  apiKey: string;
  apiSecret: string;
  onEvent: LivekitEventHandler;
  /** Events older than this are refused as replays. */
  maxAgeMs?: number;
  now?: () => number;
}

/**
 * `POST /webhooks/livekit`: LiveKit's signed events. The signature covers the raw body, so this
 * route reads it raw before any JSON parser touches it. A forged signature, a stale event, or an
 * event id seen before is refused.
 */
export function livekitWebhookRoutes(options: LivekitWebhookOptions): Router {
  const receiver = new WebhookReceiver(options.apiKey, options.apiSecret);
  const maxAgeMs = options.maxAgeMs ?? 5 * 60_000;
  const now = options.now ?? Date.now;
  const seen = new Map<string, number>();
  const router = Router();

  router.post(
    '/webhooks/livekit',
    express.raw({ type: '*/*', limit: '256kb' }),
    async (req, res) => {
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
      for (const [id, at] of seen) if (now() - at > maxAgeMs) seen.delete(id);
      if (seen.has(event.id))
        throw new ApiError('conflict', `webhook event ${event.id} was already received`);
      seen.set(event.id, now());
      await options.onEvent(event);
      res.status(204).end();
    },
  );

  return router;
}
