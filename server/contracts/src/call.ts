import { z } from 'zod';
import { ChannelSchema, VariablesSchema, VisitorSchema } from './session.js';

/** The call record's shapes that cross from the agent to the server (and on to admins). */
export const PersonaIdSchema = z.string().min(1).max(63);
export const DateTimeSchema = z.string().datetime({ offset: true });
export const E164Schema = z
  .string()
  .regex(/^\+[1-9]\d{6,14}$/, 'an E.164 number such as +14155550123');
export const JsonObjectSchema = z.record(z.unknown());

export const CallOutcomeSchema = z.enum(['completed', 'abandoned', 'transferred', 'failed']);
export type CallOutcome = z.infer<typeof CallOutcomeSchema>;
export const LeadTemperatureSchema = z.enum(['hot', 'warm', 'cold']);
export type LeadTemperature = z.infer<typeof LeadTemperatureSchema>;

/** Who is on the other end: a web visitor, or a phone caller (number as the trunk gave it). */
export const CallerSchema = VisitorSchema.extend({ phoneNumber: z.string().max(64).optional() });

export const CallInputSchema = z.object({
  personaId: PersonaIdSchema,
  /** The tenant the dispatch named (`DispatchMetadata.tenantId`); the default tenant when absent. */
  tenantId: z.string().min(1).max(64).optional(),
  /** The persona version the call runs; the current one when omitted. */
  personaVersion: z.number().int().min(1).optional(),
  channel: ChannelSchema,
  roomName: z.string().min(1).max(200),
  participantIdentity: z.string().min(1).max(200).optional(),
  caller: CallerSchema.default({}),
  dialedNumber: E164Schema.optional(),
  variables: VariablesSchema.default({}),
  startedAt: DateTimeSchema.optional(),
  /** Phone calls: whether the caller dialled in or Parley dialled out. */
  direction: z.enum(['inbound', 'outbound']).optional(),
  /**
   * Phone calls: how the phone leg stands when the record is made (`dialing` for outbound). The
   * values of `PhoneCallStatusSchema` (phone.ts imports this file, so it cannot be imported here).
   */
  phoneStatus: z
    .enum(['dialing', 'ringing', 'answered', 'no_answer', 'busy', 'failed', 'completed'])
    .optional(),
});
export type CallInput = z.input<typeof CallInputSchema>;

export const ToolCallInputSchema = z.object({
  name: z.string().min(1).max(64),
  args: JsonObjectSchema.default({}),
  result: z.unknown().optional(),
  error: z.string().max(2000).optional(),
});

export const IdempotencyKeySchema = z.string().min(1).max(200);

export const TurnInputSchema = z.object({
  userText: z.string().max(10_000).optional(),
  agentText: z.string().max(10_000).optional(),
  interrupted: z.boolean().default(false),
  /** Per-stage latencies in milliseconds, e.g. `{ sttMs, llmFirstTokenMs, ttsFirstByteMs }`. */
  timings: z.record(z.string().max(64), z.number().finite().nonnegative()).default({}),
  toolCalls: z.array(ToolCallInputSchema).max(50).default([]),
  /** Keypad digits the phone caller pressed in this turn, in order (`1`, `42#`). */
  dtmf: z
    .string()
    .regex(/^[0-9*#A-D]{1,64}$/)
    .optional(),
});
export type TurnInput = z.input<typeof TurnInputSchema>;

export const CallInsightsSchema = z.object({
  summary: z.string().max(10_000).optional(),
  leadTemperature: LeadTemperatureSchema.optional(),
  costUsd: z.number().finite().nonnegative().optional(),
});
export type CallInsights = z.input<typeof CallInsightsSchema>;

export const CallCloseSchema = CallInsightsSchema.extend({
  outcome: CallOutcomeSchema,
  endedAt: DateTimeSchema.optional(),
});
export type CallClose = z.input<typeof CallCloseSchema>;

/**
 * Who ended the call. LiveKit's `room_finished` close is provisional: turns the agent spooled
 * during an outage may still arrive, and the agent's own close replaces its outcome. The agent's
 * close is final.
 */
export const CallClosedBySchema = z.enum(['agent', 'livekit']);
export type CallClosedBy = z.infer<typeof CallClosedBySchema>;

/** A participant joining or leaving the call's room, as LiveKit reported it. */
export const CallEventSchema = z.object({
  type: z.enum(['participant_joined', 'participant_left']),
  identity: z.string(),
  /** LiveKit's participant kind: `standard` (a browser), `sip`, `agent`, … */
  kind: z.string(),
  at: z.string(),
});
export type CallEvent = z.infer<typeof CallEventSchema>;

/** Proof that the caller was shown and accepted a given wording of the disclosure. */
export const ConsentReceiptSchema = z.object({
  id: z.string(),
  callId: z.string(),
  textVersion: z.string(),
  /** The wording accepted (receipts recorded before wordings were kept have none). */
  text: z.string().optional(),
  acceptedAt: z.string(),
  visitorId: z.string().optional(),
  /** The page the widget ran on. */
  origin: z.string().optional(),
});
export type ConsentReceipt = z.infer<typeof ConsentReceiptSchema>;
