/**
 * The admin API's answers about calls: `GET /v1/calls` lists {@link Call}s, `GET /v1/calls/:id`
 * answers a {@link CallRecord}.
 */
import { z } from 'zod';
import { AppointmentSchema } from './appointment.js';
import {
  CallClosedBySchema,
  CallEventSchema,
  CallOutcomeSchema,
  CallerSchema,
  ConsentReceiptSchema,
  LeadTemperatureSchema,
} from './call.js';
import { LeadSchema } from './lead.js';
import { CallLegSchema, CallWarningSchema, PhoneCallStatusSchema } from './phone.js';
import { ChannelSchema } from './session.js';

export type Caller = z.infer<typeof CallerSchema>;

export const CallStatusSchema = z.enum(['active', 'ended']);
export type CallStatus = z.infer<typeof CallStatusSchema>;

export const CallSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  personaId: z.string(),
  /** The persona version this call ran; the persona may have been edited since. */
  personaVersion: z.number().int(),
  channel: ChannelSchema,
  status: CallStatusSchema,
  /** Set once ended: `livekit` is provisional until the agent's own close. */
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
});
export type Call = z.infer<typeof CallSchema>;

export const ToolCallSchema = z.object({
  name: z.string(),
  args: z.record(z.unknown()),
  result: z.unknown().optional(),
  error: z.string().optional(),
});
export type ToolCall = z.infer<typeof ToolCallSchema>;

export const TurnSchema = z.object({
  /** 1, 2, 3… in the order the turns were appended. */
  seq: z.number().int(),
  idempotencyKey: z.string(),
  userText: z.string().optional(),
  agentText: z.string().optional(),
  interrupted: z.boolean(),
  timings: z.record(z.number()).describe('per-stage latencies in milliseconds'),
  toolCalls: z.array(ToolCallSchema),
  dtmf: z.string().optional().describe('keypad digits the phone caller pressed in this turn'),
  createdAt: z.string(),
});
export type Turn = z.infer<typeof TurnSchema>;

/** A call with its turns, legs and warnings: what the call repository reads back. */
export const CallDetailSchema = CallSchema.extend({
  turns: z.array(TurnSchema),
  legs: z.array(CallLegSchema).describe('every participant leg: browser, phone, transfer'),
  /** Conditions worth an operator's attention (narrowband audio, a failed transfer…). */
  warnings: z.array(CallWarningSchema),
});
export type CallDetail = z.infer<typeof CallDetailSchema>;

/** The outbound campaign that dialled a call: which campaign, which of its contacts, which try. */
export const CallCampaignSchema = z.object({
  campaignId: z.string(),
  name: z.string(),
  contactId: z.string(),
  /** 1 for the first call to the contact, 2 for the first retry, … */
  attempt: z.number().int().positive(),
});
export type CallCampaign = z.infer<typeof CallCampaignSchema>;

/** `GET /v1/calls/:id`: the call record with everything that happened around it. */
export const CallRecordSchema = CallDetailSchema.extend({
  /** Participants joining and leaving the room, as LiveKit reported them. */
  events: z.array(CallEventSchema),
  leads: z.array(LeadSchema),
  appointments: z.array(AppointmentSchema),
  /** The disclosure the caller accepted, when the persona asked for consent. */
  consent: ConsentReceiptSchema.optional(),
  /** The campaign that dialled the call, when one did. */
  campaign: CallCampaignSchema.optional(),
});
export type CallRecord = z.infer<typeof CallRecordSchema>;
