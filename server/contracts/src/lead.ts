import { z } from 'zod';
import { IdempotencyKeySchema, JsonObjectSchema, LeadTemperatureSchema } from './call.js';
import { CaptureLeadArgsSchema } from './tools.js';

/** A contact the agent captured (or an admin entered), with the call it came from. */
export const LeadSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  callId: z.string().optional(),
  name: z.string().optional(),
  email: z.string().optional(),
  phone: z.string().optional(),
  company: z.string().optional(),
  /** What the caller needs, in their words. */
  notes: z.string().optional(),
  temperature: LeadTemperatureSchema.optional(),
  /** Qualification details: budget, isDecisionMaker, timelineDays, score, signals. */
  data: JsonObjectSchema,
  createdAt: z.string(),
});
export type Lead = z.infer<typeof LeadSchema>;

export const LeadSignalSchema = z.enum(['budget', 'authority', 'need', 'timeline']);

/** The `capture_lead` tool's arguments with the score the agent gave them (`scoreLead`). */
export const ScoredLeadSchema = CaptureLeadArgsSchema.extend({
  score: z.number().finite().nonnegative(),
  temperature: LeadTemperatureSchema,
  signals: z.array(LeadSignalSchema).max(4),
});

/** Body of `POST /internal/calls/:id/leads`; `key` makes a retried capture store nothing new. */
export const CaptureLeadRequestSchema = z.object({
  key: IdempotencyKeySchema,
  lead: ScoredLeadSchema,
});
export type CaptureLeadRequest = z.input<typeof CaptureLeadRequestSchema>;
