import {
  freeSlots,
  isWithinBusinessHours,
  wallClock,
  type Availability,
  type BookAppointmentArgs,
  type BusinessHours,
  type Interval,
  type Persona,
  type Appointment,
} from '@parley/contracts';
import { SlotTakenError, type AppointmentRepo } from '../storage/index.js';
import { DomainError } from '../domain-errors.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** How far ahead an error message looks for free slots to offer instead. */
const SUGGESTION_DAYS = 14;
const SUGGESTIONS = 3;

function businessHoursOf(persona: Persona): BusinessHours {
  if (!persona.businessHours) {
    throw new DomainError(
      'no_business_hours',
      `persona '${persona.id}' has no business hours, so it offers no appointments`,
    );
  }
  return persona.businessHours;
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A slot as the model should read it: the local weekday and time, then the exact instant with
 * the local offset, ready to pass back as `startsAt`.
 */
function describeSlot(start: Date, timeZone: string): string {
  const w = wallClock(start, timeZone);
  const local = `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
  const offsetMin = Math.round((Date.parse(`${local}:00Z`) - start.getTime()) / MINUTE);
  const sign = offsetMin < 0 ? '-' : '+';
  const offset = `${sign}${pad(Math.floor(Math.abs(offsetMin) / 60))}:${pad(Math.abs(offsetMin) % 60)}`;
  const weekday = w.weekday.charAt(0).toUpperCase() + w.weekday.slice(1);
  return `${weekday} ${local.replace('T', ' ')} (${local}:00${offset})`;
}

/** Booked appointments overlapping [from, to), as intervals. */
async function bookedBetween(
  appointments: AppointmentRepo,
  from: Date,
  to: Date,
): Promise<Interval[]> {
  const booked = await appointments.list({
    from: from.toISOString(),
    to: to.toISOString(),
    status: 'booked',
  });
  return booked.map((a) => ({ start: new Date(a.startsAt), end: new Date(a.endsAt) }));
}

async function suggestions(
  appointments: AppointmentRepo,
  hours: BusinessHours,
  after: Date,
): Promise<string> {
  const until = new Date(after.getTime() + SUGGESTION_DAYS * DAY);
  const booked = await bookedBetween(appointments, after, until);
  const slots = freeSlots(hours, after, until, booked, SUGGESTIONS);
  if (slots.length === 0) return `there is no free slot in the next ${SUGGESTION_DAYS} days`;
  return `next free slots: ${slots.map((s) => describeSlot(s.start, hours.timeZone)).join('; ')}`;
}

/** Free slots of the persona's business hours from `from` (never before `now`) for `days`. */
export async function availability(
  appointments: AppointmentRepo,
  persona: Persona,
  query: { from?: string; days: number; limit: number },
  now = new Date(),
): Promise<Availability> {
  const hours = businessHoursOf(persona);
  const from = new Date(Math.max(now.getTime(), query.from ? Date.parse(query.from) : 0));
  const to = new Date(from.getTime() + query.days * DAY);
  const slots = freeSlots(
    hours,
    from,
    to,
    await bookedBetween(appointments, from, to),
    query.limit,
  );
  return {
    timeZone: hours.timeZone,
    slots: slots.map((s) => ({ startsAt: s.start.toISOString(), endsAt: s.end.toISOString() })),
  };
}

export interface BookingRequest {
  callId: string;
  /** The agent's key for this tool call: a retry books nothing new. */
  key: string;
  args: BookAppointmentArgs;
}

/**
 * Books an appointment of the persona's length for a call. Refusals name the next free slots,
 * so the model can offer them: a time already past (`in_the_past`), outside business hours
 * (`outside_business_hours`), or overlapping a booking (`slot_taken`).
 */
export async function bookForCall(
  appointments: AppointmentRepo,
  persona: Persona,
  { callId, key, args }: BookingRequest,
  now = new Date(),
): Promise<{ appointment: Appointment; created: boolean }> {
  const earlier = await appointments.findByKey(callId, key);
  if (earlier) return { appointment: earlier, created: false };
  const hours = businessHoursOf(persona);
  const start = new Date(args.startsAt);
  const end = new Date(start.getTime() + hours.appointmentMinutes * MINUTE);
  const requested = describeSlot(start, hours.timeZone);
  if (start < now) {
    const next = await suggestions(appointments, hours, now);
    throw new DomainError('in_the_past', `${requested} has already passed; ${next}`);
  }
  if (!isWithinBusinessHours(hours, start, end)) {
    const next = await suggestions(appointments, hours, start);
    throw new DomainError(
      'outside_business_hours',
      `${requested} is outside business hours; ${next}`,
    );
  }
  let appointment: Appointment | undefined;
  try {
    appointment = await appointments.book(
      {
        startsAt: start.toISOString(),
        endsAt: end.toISOString(),
        name: args.name,
        email: args.email,
        phone: args.phone,
        notes: args.notes,
        callId,
      },
      key,
    );
  } catch (err) {
    if (!(err instanceof SlotTakenError)) throw err;
    // The slot may be taken by this very booking, sent twice at once.
    const raced = await appointments.findByKey(callId, key);
    if (raced) return { appointment: raced, created: false };
    const next = await suggestions(appointments, hours, start);
    throw new DomainError('slot_taken', `${requested} is already taken; ${next}`);
  }
  if (appointment) return { appointment, created: true };
  const raced = await appointments.findByKey(callId, key);
  if (!raced) throw new Error(`appointment '${key}' of call '${callId}' vanished`);
  return { appointment: raced, created: false };
}
