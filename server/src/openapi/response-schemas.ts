/**
 * Schemas of answers whose type is a TypeScript interface rather than a zod schema (the storage
 * layer's records, the session answer). Each is checked against its interface at compile time,
 * so the document cannot drift from what the routes answer.
 */
import { z, type ZodTypeAny } from 'zod';
import type { CallRecord } from '../calls/call-routes.js';
import {
  AppointmentSchema,
  CallClosedBySchema,
  CallEventSchema,
  CallLegSchema,
  CallOutcomeSchema,
  CallWarningSchema,
  CallerSchema,
  ChannelSchema,
  ConsentReceiptSchema,
  ERROR_STATUS,
  LeadSchema,
  LeadTemperatureSchema,
  PersonaSchema,
  PhoneCallStatusSchema,
  type ApiErrorBody,
  type ErrorCode,
  type SessionResponse,
} from '@parley/contracts';
import {
  WebhookEventTypeSchema,
  type PersonaVersion,
  type Call,
  type ToolCall,
  type Turn,
  type WebhookDelivery,
  type WebhookEndpoint,
} from '../storage/index.js';

type SameKeys<A, B> = [keyof A] extends [keyof B]
  ? [keyof B] extends [keyof A]
    ? true
    : false
  : false;
type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? SameKeys<A, B> : false) : false;

/**
 * Returns the schema unchanged; compiles only while the schema's values and `T` are mutually
 * assignable with the same keys (an optional field added to `T` alone fails too).
 */
const describing =
  <T>() =>
  <S extends ZodTypeAny>(schema: S & (Exactly<z.infer<S>, T> extends true ? unknown : never)): S =>
    schema;

const ErrorCodeSchema = z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]);

export const ApiErrorBodySchema = describing<ApiErrorBody>()(
  z.object({ error: z.object({ code: ErrorCodeSchema, message: z.string() }) }),
);

export const SessionResponseSchema = describing<SessionResponse>()(
  z.object({
    serverUrl: z.string(),
    token: z.string().describe('LiveKit access token: one identity, one room, microphone only'),
    roomName: z.string(),
    identity: z.string(),
    expiresAt: z.string().describe('after this time the token no longer admits a join'),
  }),
);

export const CallSchema = describing<Call>()(
  z.object({
    id: z.string(),
    tenantId: z.string(),
    personaId: z.string(),
    personaVersion: z.number().int(),
    channel: ChannelSchema,
    status: z.enum(['active', 'ended']),
    closedBy: CallClosedBySchema.optional(),
    roomName: z.string(),
    participantIdentity: z.string().optional(),
    caller: CallerSchema,
    dialedNumber: z.string().optional(),
    variables: z.record(z.union([z.string(), z.number(), z.boolean()])),
    startedAt: z.string(),
    endedAt: z.string().optional(),
    durationMs: z.number().int().optional(),
    outcome: CallOutcomeSchema.optional(),
    summary: z.string().optional(),
    leadTemperature: LeadTemperatureSchema.optional(),
    costUsd: z.number().optional(),
    direction: z
      .enum(['inbound', 'outbound'])
      .optional()
      .describe('phone calls: whether the caller dialled in or Parley dialled out'),
    phoneStatus: PhoneCallStatusSchema.optional().describe(
      'phone calls: the latest status of the phone leg',
    ),
  }),
);

const ToolCallSchema = describing<ToolCall>()(
  z.object({
    name: z.string(),
    args: z.record(z.unknown()),
    result: z.unknown().optional(),
    error: z.string().optional(),
  }),
);

export const TurnSchema = describing<Turn>()(
  z.object({
    seq: z.number().int(),
    idempotencyKey: z.string(),
    userText: z.string().optional(),
    agentText: z.string().optional(),
    interrupted: z.boolean(),
    timings: z.record(z.number()).describe('per-stage latencies in milliseconds'),
    toolCalls: z.array(ToolCallSchema),
    dtmf: z.string().optional().describe('keypad digits the phone caller pressed in this turn'),
    createdAt: z.string(),
  }),
);

export const CallRecordSchema = describing<CallRecord>()(
  CallSchema.extend({
    turns: z.array(TurnSchema),
    legs: z.array(CallLegSchema).describe('every participant leg: browser, phone, transfer'),
    warnings: z.array(CallWarningSchema),
    events: z.array(CallEventSchema),
    leads: z.array(LeadSchema),
    appointments: z.array(AppointmentSchema),
    consent: ConsentReceiptSchema.optional(),
  }),
);

export const WebhookEndpointSchema = describing<WebhookEndpoint>()(
  z.object({
    id: z.string(),
    tenantId: z.string(),
    url: z.string(),
    secret: z.string().describe('the HMAC-SHA256 key deliveries are signed with'),
    events: z.array(WebhookEventTypeSchema),
    createdAt: z.string(),
  }),
);

export const WebhookDeliverySchema = describing<WebhookDelivery>()(
  z.object({
    id: z.string(),
    tenantId: z.string(),
    endpointId: z.string(),
    eventId: z.string(),
    eventType: WebhookEventTypeSchema,
    payload: z.record(z.unknown()),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number().int(),
    nextAttemptAt: z.string(),
    lastError: z.string().optional(),
    lastStatusCode: z.number().int().optional(),
    createdAt: z.string(),
    deliveredAt: z.string().optional(),
  }),
);

export const HealthSchema = z.object({
  status: z.enum(['ok', 'starting']),
  checks: z.object({
    server: z.string(),
    livekit: z.string(),
    agent: z.string(),
    sip: z.string().describe("livekit-sip: 'ok', 'unreachable' or 'not configured'"),
  }),
  agentWorkers: z.number().int(),
});

/** `{ data: [...] }`, the answer of the unpaged lists. */
export const listOf = <S extends ZodTypeAny>(item: S) => z.object({ data: z.array(item) });

/** One page of a paged list; pass `nextCursor` back as `cursor` for the next. */
export const pageOf = <S extends ZodTypeAny>(item: S) =>
  z.object({ items: z.array(item), nextCursor: z.string().optional() });

export const PersonaVersionSchema = describing<PersonaVersion>()(
  z.object({
    personaId: z.string(),
    version: z.number().int(),
    persona: PersonaSchema,
    createdAt: z.string(),
  }),
);
