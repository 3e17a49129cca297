/**
 * Inputs the repositories accept, one zod schema each (type + validator). Routes may validate with
 * the same schemas. Shapes that cross a process boundary live in `@parley/contracts`.
 */
import { z } from 'zod';
import {
  AppointmentStatusSchema,
  AssignPhoneNumberRequestSchema,
  CallEventSchema,
  ChannelSchema,
  ConsentAcceptanceSchema,
  CreateApiKeyRequestSchema,
  CreateTenantRequestSchema,
  DateTimeSchema,
  E164Schema,
  JsonObjectSchema,
  PersonaIdSchema,
  CallOutcomeSchema,
  LeadTemperatureSchema,
  WebhookEventTypeSchema,
} from '@parley/contracts';

export const TenantInputSchema = CreateTenantRequestSchema;
export type TenantInput = z.input<typeof TenantInputSchema>;

export const ApiKeyScopeSchema = z.enum(['admin', 'agent']);
export type ApiKeyScope = z.infer<typeof ApiKeyScopeSchema>;
export const ApiKeyInputSchema = CreateApiKeyRequestSchema.extend({
  scopes: z.array(ApiKeyScopeSchema).min(1).max(10),
});
export type ApiKeyInput = z.input<typeof ApiKeyInputSchema>;

export const PhoneNumberInputSchema = AssignPhoneNumberRequestSchema.extend({ e164: E164Schema });
export type PhoneNumberInput = z.input<typeof PhoneNumberInputSchema>;

const LimitSchema = z.coerce.number().int().min(1).max(100).default(20);

export const CallListQuerySchema = z.object({
  limit: LimitSchema,
  cursor: z.string().max(500).optional(),
  personaId: PersonaIdSchema.optional(),
  channel: ChannelSchema.optional(),
  outcome: CallOutcomeSchema.optional(),
  /** Calls started at or after this time. */
  from: DateTimeSchema.optional(),
  /** Calls started before this time. */
  to: DateTimeSchema.optional(),
  /** Words to find in the transcript (either side) or the summary, case-insensitive. */
  q: z.string().min(1).max(200).optional(),
});
export type CallListQuery = z.input<typeof CallListQuerySchema>;

export const ConsentInputSchema = z.object({
  /** Which wording of the recording/AI disclosure the caller accepted. */
  textVersion: z.string().min(1).max(64),
  text: z.string().min(1).max(2000).optional(),
  acceptedAt: DateTimeSchema.optional(),
  visitorId: z.string().min(1).max(128).optional(),
  origin: z.string().min(1).max(2000).optional(),
});
export type ConsentInput = z.input<typeof ConsentInputSchema>;

export const LeadInputSchema = z
  .object({
    callId: z.string().min(1).max(64).optional(),
    name: z.string().min(1).max(200).optional(),
    email: z.string().email().max(320).optional(),
    phone: z.string().min(3).max(64).optional(),
    company: z.string().max(200).optional(),
    notes: z.string().max(5000).optional(),
    temperature: LeadTemperatureSchema.optional(),
    data: JsonObjectSchema.default({}),
  })
  .refine((l) => l.name ?? l.email ?? l.phone, 'a lead needs a name, an email or a phone');
export type LeadInput = z.input<typeof LeadInputSchema>;

/** Consent accepted in the widget for the session of `roomName`, before its call exists. */
export const SessionConsentInputSchema = ConsentAcceptanceSchema.extend({
  roomName: z.string().min(1).max(200),
  personaId: PersonaIdSchema,
  visitorId: z.string().min(1).max(128).optional(),
  origin: z.string().min(1).max(2000).optional(),
});
export type SessionConsentInput = z.input<typeof SessionConsentInputSchema>;

/** A LiveKit participant event for a room; `eventId` is LiveKit's, unique per event. */
export const CallEventInputSchema = CallEventSchema.extend({
  eventId: z.string().min(1).max(200),
  roomName: z.string().min(1).max(200),
  identity: z.string().min(1).max(200),
  kind: z.string().min(1).max(32),
  at: DateTimeSchema,
});
export type CallEventInput = z.input<typeof CallEventInputSchema>;

export const LeadListQuerySchema = z.object({
  limit: LimitSchema,
  cursor: z.string().max(500).optional(),
  callId: z.string().min(1).max(64).optional(),
  temperature: LeadTemperatureSchema.optional(),
  /** Leads captured at or after this time. */
  from: DateTimeSchema.optional(),
  /** Leads captured before this time. */
  to: DateTimeSchema.optional(),
});
export type LeadListQuery = z.input<typeof LeadListQuerySchema>;

export const AppointmentInputSchema = z
  .object({
    startsAt: DateTimeSchema,
    endsAt: DateTimeSchema,
    name: z.string().min(1).max(200),
    email: z.string().email().max(320).optional(),
    phone: z.string().min(3).max(64).optional(),
    notes: z.string().max(5000).optional(),
    callId: z.string().min(1).max(64).optional(),
    leadId: z.string().min(1).max(64).optional(),
  })
  .refine((a) => Date.parse(a.endsAt) > Date.parse(a.startsAt), {
    message: 'must be after startsAt',
    path: ['endsAt'],
  });
export type AppointmentInput = z.input<typeof AppointmentInputSchema>;

export const AppointmentListQuerySchema = z.object({
  /** Appointments ending after this time. */
  from: DateTimeSchema.optional(),
  /** Appointments starting before this time. */
  to: DateTimeSchema.optional(),
  /** Only booked or only cancelled ones; both when omitted. */
  status: AppointmentStatusSchema.optional(),
  callId: z.string().min(1).max(64).optional(),
});
export type AppointmentListQuery = z.input<typeof AppointmentListQuerySchema>;

export const WebhookEventSchema = z.object({
  /** Stable across retries and restarts; receivers deduplicate on it. */
  id: z.string().min(1).max(200),
  type: WebhookEventTypeSchema,
  payload: JsonObjectSchema,
});
export type WebhookEvent = z.input<typeof WebhookEventSchema>;
