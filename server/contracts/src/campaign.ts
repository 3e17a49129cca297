/**
 * Outbound campaigns and scheduled calls: a persona calling a list of contacts within a calling
 * window, with retries, and single calls placed at a given time. Every attempt is an ordinary
 * call record.
 */
import { z } from 'zod';
import { E164Schema } from './call.js';
import { TimeZoneSchema, WeeklySpansSchema } from './persona.js';
import { OutboundTrunkNameSchema } from './phone.js';
import { PersonaRefSchema, VariablesSchema } from './session.js';

/** When a campaign may dial: weekly spans in the business time zone. */
export const CallingWindowSchema = z.object({
  timeZone: TimeZoneSchema,
  weekly: WeeklySpansSchema.refine((spans) => spans.length > 0, 'at least one span'),
});
export type CallingWindow = z.infer<typeof CallingWindowSchema>;

/** How an unanswered attempt ended. */
export const RetryableOutcomeSchema = z.enum(['no_answer', 'busy', 'failed']);
export type RetryableOutcome = z.infer<typeof RetryableOutcomeSchema>;

/** How one attempt ended: the callee answered, or why not. */
export const AttemptOutcomeSchema = z.enum(['answered', 'no_answer', 'busy', 'failed']);
export type AttemptOutcome = z.infer<typeof AttemptOutcomeSchema>;

export const RetryPolicySchema = z.object({
  /** Outcomes that are tried again; others end the contact (`exhausted`). */
  retryOn: z.array(RetryableOutcomeSchema).max(3).default(['no_answer', 'busy']),
  /** Wait after an unanswered attempt before the next one (within the calling window). */
  retryAfterSeconds: z
    .number()
    .int()
    .min(5)
    .max(7 * 24 * 3600)
    .default(3600),
  /** Attempts per contact, the first one included. */
  maxAttempts: z.number().int().min(1).max(10).default(3),
});
export type RetryPolicy = z.infer<typeof RetryPolicySchema>;

export const CampaignContactInputSchema = z.object({
  name: z.string().min(1).max(200).optional(),
  number: E164Schema,
  /** Filled into the persona's `{{placeholders}}` for this contact's calls. */
  variables: VariablesSchema.optional(),
});
export type CampaignContactInput = z.input<typeof CampaignContactInputSchema>;

/** Body of `POST /v1/campaigns/:id/contacts` as JSON (CSV is also taken: name, number, …). */
export const CampaignContactsInputSchema = z.object({
  contacts: z.array(CampaignContactInputSchema).min(1).max(10_000),
});

/** Body of `POST /v1/campaigns`. */
export const CampaignInputSchema = z.object({
  name: z.string().min(1).max(200),
  persona: PersonaRefSchema,
  /** The outbound trunk to dial through: the persona's, else the tenant's first, by default. */
  trunk: OutboundTrunkNameSchema.optional(),
  /** Caller id to present; one of the trunk's numbers. */
  from: E164Schema.optional(),
  contacts: z.array(CampaignContactInputSchema).max(10_000).default([]),
  /** Unset: the persona's calling hours (else its business hours; with neither, any time). */
  callingWindow: CallingWindowSchema.optional(),
  maxConcurrentCalls: z.number().int().min(1).max(100).default(1),
  retry: RetryPolicySchema.default({}),
  ringTimeoutSeconds: z.number().int().min(5).max(120).default(30),
});
export type CampaignInput = z.input<typeof CampaignInputSchema>;

export const CampaignStatusSchema = z.enum([
  'draft',
  'running',
  'paused',
  'cancelled',
  'completed',
]);
export type CampaignStatus = z.infer<typeof CampaignStatusSchema>;

export const ContactStatusSchema = z.enum([
  'pending',
  'calling',
  'completed',
  'retry_scheduled',
  'exhausted',
  'skipped',
]);
export type ContactStatus = z.infer<typeof ContactStatusSchema>;

/** Why a contact was left out without an attempt (or without another). */
export const SkipReasonSchema = z.enum([
  'do_not_call',
  'destination_not_allowed',
  'opted_out',
  'cancelled',
  'duplicate',
]);
export type SkipReason = z.infer<typeof SkipReasonSchema>;

export const CampaignStatsSchema = z.object({
  contacts: z.number().int(),
  byStatus: z.record(ContactStatusSchema, z.number().int()),
  attempts: z.number().int(),
  answered: z.number().int(),
  leads: z.object({ hot: z.number().int(), warm: z.number().int(), cold: z.number().int() }),
  appointmentsBooked: z.number().int(),
  /** Minutes of the attempts' calls, to the second. */
  minutes: z.number(),
  /** What the attempts' calls cost, where their records name a cost. */
  costUsd: z.number(),
});
export type CampaignStats = z.infer<typeof CampaignStatsSchema>;

export const CampaignSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  name: z.string(),
  personaId: z.string(),
  trunk: z.string().optional(),
  from: z.string().optional(),
  callingWindow: CallingWindowSchema.optional(),
  maxConcurrentCalls: z.number().int(),
  retry: RetryPolicySchema,
  ringTimeoutSeconds: z.number().int(),
  status: CampaignStatusSchema,
  createdAt: z.string(),
  startedAt: z.string().optional(),
  completedAt: z.string().optional(),
  stats: CampaignStatsSchema,
});
export type Campaign = z.infer<typeof CampaignSchema>;

export const CampaignAttemptSchema = z.object({
  attempt: z.number().int(),
  callId: z.string(),
  startedAt: z.string(),
  outcome: AttemptOutcomeSchema.optional(),
});
export type CampaignAttempt = z.infer<typeof CampaignAttemptSchema>;

export const CampaignContactSchema = z.object({
  id: z.string(),
  campaignId: z.string(),
  name: z.string().optional(),
  number: z.string(),
  variables: z.record(z.union([z.string(), z.number(), z.boolean()])),
  status: ContactStatusSchema,
  skipReason: SkipReasonSchema.optional(),
  attempts: z.array(CampaignAttemptSchema),
  /** When the next attempt is due (a retry scheduled). */
  nextAttemptAt: z.string().optional(),
  /** The last attempt's outcome; for an answered one, its call's outcome too. */
  lastOutcome: AttemptOutcomeSchema.optional(),
  callOutcome: z.string().optional(),
  updatedAt: z.string(),
});
export type CampaignContact = z.infer<typeof CampaignContactSchema>;

/** Body of `POST /v1/campaigns/:id/{start,pause,resume,cancel}`: nothing. */
export const CampaignActionSchema = z.enum(['start', 'pause', 'resume', 'cancel']);
export type CampaignAction = z.infer<typeof CampaignActionSchema>;

export const ScheduledCallKindSchema = z.enum(['api', 'reminder', 'callback']);
export const ScheduledCallStatusSchema = z.enum(['scheduled', 'placed', 'cancelled', 'failed']);
export type ScheduledCallStatus = z.infer<typeof ScheduledCallStatusSchema>;

/** Body of `POST /v1/scheduled-calls`: one outbound call at a given time. */
export const ScheduledCallInputSchema = z.object({
  persona: PersonaRefSchema,
  to: E164Schema,
  /** When to dial (ISO 8601 with offset); a time in the past dials at once. */
  at: z.string().datetime({ offset: true }),
  from: E164Schema.optional(),
  trunk: OutboundTrunkNameSchema.optional(),
  variables: VariablesSchema.optional(),
  ringTimeoutSeconds: z.number().int().min(5).max(120).default(30),
});
export type ScheduledCallInput = z.input<typeof ScheduledCallInputSchema>;

export const ScheduledCallSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  kind: ScheduledCallKindSchema,
  personaId: z.string(),
  to: z.string(),
  at: z.string(),
  status: ScheduledCallStatusSchema,
  variables: z.record(z.union([z.string(), z.number(), z.boolean()])),
  /** The call record once dialled. */
  callId: z.string().optional(),
  /** Why it was not placed (`do_not_call`, `outside_calling_hours`, …). */
  error: z.string().optional(),
  /** The appointment a reminder is for; the call a callback was asked in. */
  appointmentId: z.string().optional(),
  requestedInCallId: z.string().optional(),
  createdAt: z.string(),
});
export type ScheduledCall = z.infer<typeof ScheduledCallSchema>;
