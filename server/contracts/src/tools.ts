import { z } from 'zod';
import type { LeadTemperature } from './call.js';
import type { LeadQualification } from './persona.js';

/**
 * Arguments of the built-in tools, as the model sees them (each becomes the tool's JSON Schema)
 * and as the agent and server validate them. The scripted responder emits exactly these shapes.
 */
export const EndCallArgsSchema = z.object({
  reason: z.string().max(500).optional().describe('Why the call ends, for the call record'),
});

export const TransferArgsSchema = z.object({
  reason: z.string().max(500).optional().describe('What the caller needs a person for'),
});

export const CaptureLeadArgsSchema = z.object({
  name: z.string().min(1).max(200).describe("The caller's name"),
  email: z.string().max(320).optional().describe('Email address, if given'),
  phone: z.string().max(64).optional().describe('Phone number, if given'),
  company: z.string().max(200).optional(),
  need: z.string().max(2000).optional().describe('What the caller needs, in their words'),
  budget: z.number().nonnegative().optional().describe('Budget as a number, if stated'),
  isDecisionMaker: z.boolean().optional().describe('Whether the caller decides on the purchase'),
  timelineDays: z
    .number()
    .int()
    .nonnegative()
    .optional()
    .describe('In how many days they want to start'),
});
export type CaptureLeadArgs = z.infer<typeof CaptureLeadArgsSchema>;

export const BookAppointmentArgsSchema = z.object({
  startsAt: z
    .string()
    .datetime({ offset: true })
    .describe('Start of the appointment, ISO 8601 with offset'),
  name: z.string().min(1).max(200).describe('Who the appointment is for'),
  email: z.string().max(320).optional(),
  phone: z.string().max(64).optional(),
  notes: z.string().max(2000).optional(),
});
export type BookAppointmentArgs = z.infer<typeof BookAppointmentArgsSchema>;

/** `opt_out` takes nothing: the number is the call's own, never one the model names. */
export const OptOutArgsSchema = z.object({});

export const ScheduleCallbackArgsSchema = z.object({
  at: z
    .string()
    .datetime({ offset: true })
    .describe('When to call the caller back, ISO 8601 with offset'),
  topic: z
    .string()
    .max(300)
    .optional()
    .describe('What the caller wants to talk about when called back, in a few words'),
});
export type ScheduleCallbackArgs = z.infer<typeof ScheduleCallbackArgsSchema>;

export const LookupKnowledgeArgsSchema = z.object({
  query: z.string().min(1).max(500).describe('The question to look up'),
});

/** The handoff tool (`handoff`), offered when the persona lists `handoffs`. */
export const HANDOFF_TOOL = 'handoff';
export const HandoffArgsSchema = z.object({
  personaId: z.string().min(1).max(63).describe('The persona to hand the caller to'),
});

export interface LeadScore {
  score: number;
  temperature: LeadTemperature;
  /** The BANT signals that were met. */
  signals: Array<'budget' | 'authority' | 'need' | 'timeline'>;
}

/** Scores a lead's BANT signals against the persona's criteria: hot, warm or cold. */
export function scoreLead(lead: CaptureLeadArgs, criteria: LeadQualification): LeadScore {
  const signals: LeadScore['signals'] = [];
  if (lead.budget !== undefined && lead.budget >= criteria.minBudget) signals.push('budget');
  if (lead.isDecisionMaker === true) signals.push('authority');
  const need = lead.need?.toLowerCase().trim() ?? '';
  const keywords = criteria.needKeywords.map((k) => k.toLowerCase());
  if (need && (keywords.length === 0 || keywords.some((k) => need.includes(k)))) {
    signals.push('need');
  }
  if (lead.timelineDays !== undefined && lead.timelineDays <= criteria.maxTimelineDays) {
    signals.push('timeline');
  }
  const score = signals.reduce((sum, signal) => sum + criteria.weights[signal], 0);
  const { hot, warm } = criteria.thresholds;
  const temperature: LeadTemperature = score >= hot ? 'hot' : score >= warm ? 'warm' : 'cold';
  return { score, temperature, signals };
}
