/** The query strings of the admin API's lists (`GET /v1/calls`, `/v1/leads`, `/v1/appointments`). */
import { z } from 'zod';
import { AppointmentStatusSchema } from './appointment.js';
import {
  CallOutcomeSchema,
  DateTimeSchema,
  LeadTemperatureSchema,
  PersonaIdSchema,
} from './call.js';
import { ChannelSchema } from './session.js';

/** Paging of the cursor-paged lists: a page's size and where the previous page ended. */
const PageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(500).optional(),
});

/** Only the records of this call. */
const CallIdQuerySchema = z.string().min(1).max(64).optional();

export const CallListQuerySchema = PageQuerySchema.extend({
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

export const LeadListQuerySchema = PageQuerySchema.extend({
  callId: CallIdQuerySchema,
  temperature: LeadTemperatureSchema.optional(),
  /** Leads captured at or after this time. */
  from: DateTimeSchema.optional(),
  /** Leads captured before this time. */
  to: DateTimeSchema.optional(),
});
export type LeadListQuery = z.input<typeof LeadListQuerySchema>;

export const AppointmentListQuerySchema = z.object({
  /** Appointments ending after this time. */
  from: DateTimeSchema.optional(),
  /** Appointments starting before this time. */
  to: DateTimeSchema.optional(),
  /** Only booked or only cancelled ones; both when omitted. */
  status: AppointmentStatusSchema.optional(),
  callId: CallIdQuerySchema,
});
export type AppointmentListQuery = z.input<typeof AppointmentListQuerySchema>;
