import { z } from 'zod';
import { JsonObjectSchema } from './call.js';
import { ChannelSchema } from './session.js';

/** Body of `POST /internal/calls/:id/tools/:name`: the arguments the model chose. */
export const RunWebhookToolRequestSchema = z.object({ args: JsonObjectSchema.default({}) });

/** `200` answer: the endpoint's JSON answer, or its text when it is not JSON (at most 8 KB). */
export const WebhookToolResultSchema = z.object({ result: z.unknown() });

/**
 * What a webhook tool's endpoint receives as its JSON body (methods other than GET, which get
 * the arguments as a query string instead), signed with `parley-signature`.
 */
export const WebhookToolCallBodySchema = z.object({
  args: JsonObjectSchema,
  call: z.object({ id: z.string(), personaId: z.string(), channel: ChannelSchema }),
});
export type WebhookToolCallBody = z.infer<typeof WebhookToolCallBodySchema>;
