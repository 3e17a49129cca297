import { z } from 'zod';

export const AGENT_NAME = 'parley';

export const ChannelSchema = z.enum(['web', 'phone']);
export type Channel = z.infer<typeof ChannelSchema>;

export const VisitorSchema = z.object({
  id: z.string().min(1).max(128).optional(),
  name: z.string().min(1).max(128).optional(),
});

export const VariablesSchema = z
  .record(z.string().max(64), z.union([z.string().max(1000), z.number(), z.boolean()]))
  .refine((v) => Object.keys(v).length <= 50, 'at most 50 variables');

/** What the visitor accepted in the widget before the microphone opened. */
export const ConsentAcceptanceSchema = z.object({
  /** The persona's `disclosure.consentVersion` the visitor was shown. */
  version: z.string().min(1).max(50),
  /** The wording the visitor was shown, kept with the receipt. */
  text: z.string().min(1).max(2000),
  acceptedAt: z.string().datetime({ offset: true }),
});
export type ConsentAcceptance = z.infer<typeof ConsentAcceptanceSchema>;

/**
 * How the public routes name a persona: its id for the default tenant's personas, or
 * `<tenant-slug>/<persona-id>` for another tenant's (`acme/sales`).
 */
export const PersonaRefSchema = z.string().min(1).max(127);

/** Body of `POST /v1/sessions`. */
export const CreateSessionRequestSchema = z.object({
  persona: PersonaRefSchema,
  embedKey: z.string().max(200).optional(),
  visitor: VisitorSchema.optional(),
  variables: VariablesSchema.optional(),
  /** Required when the persona's disclosure asks for consent. */
  consent: ConsentAcceptanceSchema.optional(),
});
export type CreateSessionRequest = z.infer<typeof CreateSessionRequestSchema>;

/** `201` answer of `POST /v1/sessions`. */
export interface SessionResponse {
  serverUrl: string;
  token: string;
  roomName: string;
  identity: string;
  /** ISO 8601 time after which the token no longer admits a join. */
  expiresAt: string;
}

/** Query of the public `GET /v1/widget-config`. */
export const WidgetConfigQuerySchema = z.object({ persona: PersonaRefSchema });

/** `200` answer of `GET /v1/widget-config`: what the widget shows before it asks for a session. */
export const WidgetConfigSchema = z.object({
  persona: z.object({ id: z.string(), name: z.string(), language: z.string() }),
  /** Present when the persona requires consent before the microphone opens. */
  consent: z.object({ text: z.string(), version: z.string() }).optional(),
  /** The persona lets web visitors move the call to their phone (`POST /v1/sessions/phone`). */
  continueOnPhone: z.boolean(),
});
export type WidgetConfig = z.infer<typeof WidgetConfigSchema>;

/** What Parley remembers of a returning visitor or caller, so the agent can greet them back. */
export const CallerHistorySchema = z.object({
  previousCalls: z.number().int().min(0),
  lastCallAt: z.string().optional(),
  lastSummary: z.string().optional(),
});
export type CallerHistory = z.infer<typeof CallerHistorySchema>;

/** JSON carried in the agent dispatch's metadata (`ctx.job.metadata`). */
export const DispatchMetadataSchema = z.object({
  personaId: z.string().min(1),
  /** The persona's tenant; absent for the default tenant. The agent passes it back on every call. */
  tenantId: z.string().min(1).max(64).optional(),
  channel: ChannelSchema,
  /** Phone calls: who dialled (`outbound`: Parley did, the agent greets once answered). */
  direction: z.enum(['inbound', 'outbound']).optional(),
  visitor: VisitorSchema.default({}),
  variables: VariablesSchema.default({}),
  history: CallerHistorySchema.optional(),
});
export type DispatchMetadata = z.infer<typeof DispatchMetadataSchema>;

/**
 * A standby room's dispatch (`ctx.job.metadata`): the agent joins a room nobody has asked for
 * yet, loads `personaId`'s persona and pipeline, and waits for a claim (`RoomClaimSchema`).
 */
export const StandbyDispatchSchema = z.object({
  standby: z.literal(true),
  personaId: z.string().min(1),
  tenantId: z.string().min(1).max(64).optional(),
});
export type StandbyDispatch = z.infer<typeof StandbyDispatchSchema>;

/**
 * What the server writes into a standby room's metadata when a web session takes the room: the
 * session's dispatch, and the identity of the one visitor the room now waits for. The visitor
 * sees it, as they see the same dispatch in their token. `reload` asks the agent to load the
 * persona again: it was edited after the room was made (its persona id may differ as well).
 */
export const RoomClaimSchema = DispatchMetadataSchema.extend({
  claim: z.literal(true),
  identity: z.string().min(1).max(256),
  reload: z.boolean().default(false),
});
export type RoomClaim = z.infer<typeof RoomClaimSchema>;
