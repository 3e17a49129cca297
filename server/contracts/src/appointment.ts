import { z } from 'zod';
import { DateTimeSchema, IdempotencyKeySchema } from './call.js';
import { BookAppointmentArgsSchema } from './tools.js';

export const AppointmentStatusSchema = z.enum(['booked', 'cancelled']);

export const AppointmentSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  name: z.string(),
  email: z.string().optional(),
  phone: z.string().optional(),
  notes: z.string().optional(),
  callId: z.string().optional(),
  leadId: z.string().optional(),
  status: AppointmentStatusSchema,
  createdAt: z.string(),
  cancelledAt: z.string().optional(),
});
export type Appointment = z.infer<typeof AppointmentSchema>;

/**
 * Body of `POST /internal/calls/:id/appointments`; the appointment lasts the persona's
 * `businessHours.appointmentMinutes`, and `key` makes a retried booking book nothing new.
 */
export const BookAppointmentRequestSchema = z.object({
  key: IdempotencyKeySchema,
  appointment: BookAppointmentArgsSchema,
});
export type BookAppointmentRequest = z.input<typeof BookAppointmentRequestSchema>;

/** Query of `GET /internal/calls/:id/availability`. */
export const AvailabilityQuerySchema = z.object({
  /** Start of the window (never earlier than now); now when omitted. */
  from: DateTimeSchema.optional(),
  days: z.coerce.number().int().min(1).max(14).default(7),
  /** At most this many slots, soonest first. */
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const SlotSchema = z.object({ startsAt: z.string(), endsAt: z.string() });
export type Slot = z.infer<typeof SlotSchema>;

/** `200` answer of `GET /internal/calls/:id/availability`: free slots, soonest first. */
export const AvailabilitySchema = z.object({
  /** The persona's business-hours time zone, for saying the slots aloud. */
  timeZone: z.string(),
  slots: z.array(SlotSchema),
});
export type Availability = z.infer<typeof AvailabilitySchema>;
