/** Outgoing webhooks: the event types, the endpoints a tenant registers and their deliveries. */
import { z } from 'zod';
import { JsonObjectSchema } from './call.js';

export const WebhookEventTypeSchema = z.enum([
  'call.started',
  'call.ended',
  'call.insights',
  /** A phone leg's status changed: `{ callId, status, at }`. */
  'call.phone_status',
  'lead.captured',
  'appointment.booked',
  /** A campaign began dialling: `{ campaign }`. */
  'campaign.started',
  /** Every contact of a campaign is done (completed, exhausted or skipped): `{ campaign }`. */
  'campaign.completed',
  /** An outbound call was scheduled (API, reminder or callback): `{ scheduledCall }`. */
  'call.scheduled',
]);
export type WebhookEventType = z.infer<typeof WebhookEventTypeSchema>;

/** Body of `POST /v1/webhook-endpoints`. */
export const WebhookEndpointInputSchema = z.object({
  url: z
    .string()
    .url()
    .max(2000)
    .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL'),
  events: z.array(WebhookEventTypeSchema).min(1),
  /** The HMAC key; generated when omitted. */
  secret: z.string().min(16).max(200).optional(),
});
export type WebhookEndpointInput = z.input<typeof WebhookEndpointInputSchema>;

export const WebhookEndpointSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  url: z.string(),
  secret: z.string().describe('the HMAC-SHA256 key deliveries are signed with'),
  events: z.array(WebhookEventTypeSchema),
  createdAt: z.string(),
});
export type WebhookEndpoint = z.infer<typeof WebhookEndpointSchema>;

export const DeliveryStatusSchema = z.enum(['pending', 'delivered', 'failed']);
export type DeliveryStatus = z.infer<typeof DeliveryStatusSchema>;

export const WebhookDeliverySchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  endpointId: z.string(),
  eventId: z.string(),
  eventType: WebhookEventTypeSchema,
  payload: z.record(z.unknown()),
  status: DeliveryStatusSchema,
  attempts: z.number().int(),
  nextAttemptAt: z.string(),
  lastError: z.string().optional(),
  lastStatusCode: z.number().int().optional(),
  createdAt: z.string(),
  deliveredAt: z.string().optional(),
});
export type WebhookDelivery = z.infer<typeof WebhookDeliverySchema>;

/** The body Parley posts to a customer's webhook endpoint (signed; see the server's README). */
export const WebhookEventSchema = z.object({
  /** Stable across retries and restarts; receivers deduplicate on it. */
  id: z.string().min(1).max(200),
  type: WebhookEventTypeSchema,
  payload: JsonObjectSchema,
});
export type WebhookEvent = z.input<typeof WebhookEventSchema>;
