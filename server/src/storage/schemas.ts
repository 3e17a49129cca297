/**
 * Inputs the repositories accept, one zod schema each (type + validator). Routes may validate with
 * the same schemas. Shapes that cross a process boundary live in `@parley/contracts`.
 */
import { z } from 'zod';
import {
  AssignPhoneNumberRequestSchema,
  CallEventSchema,
  ConsentAcceptanceSchema,
  CreateApiKeyRequestSchema,
  CreateTenantRequestSchema,
  DateTimeSchema,
  E164Schema,
  JsonObjectSchema,
  PersonaIdSchema,
  LeadTemperatureSchema,
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
