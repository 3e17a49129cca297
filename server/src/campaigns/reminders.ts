import {
  E164Schema,
  wallClock,
  type Appointment,
  type Persona,
  type ScheduledCall,
} from '@parley/contracts';
import type { TenantStorage } from '../storage/index.js';

const MINUTE = 60_000;

/** Queues the `call.scheduled` webhook of a call just scheduled (API, reminder or callback). */
export async function announceScheduled(
  tenant: TenantStorage,
  scheduledCall: ScheduledCall,
): Promise<void> {
  await tenant.webhooks.enqueue({
    id: `${scheduledCall.id}.scheduled`,
    type: 'call.scheduled',
    payload: { scheduledCall },
  });
}

/** "Tuesday 8 December at 15:00", the appointment's time as the reminder call says it. */
function spokenTime(at: Date, timeZone: string): string {
  const day = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
  }).format(at);
  const w = wallClock(at, timeZone);
  return `${day} at ${String(w.hour).padStart(2, '0')}:${String(w.minute).padStart(2, '0')}`;
}

/** The number to remind: the one the booking gave, else the caller's; none if neither is E.164. */
function reminderNumber(
  appointment: Appointment,
  callerNumber: string | undefined,
): string | undefined {
  for (const candidate of [appointment.phone?.replace(/[\s().-]/g, ''), callerNumber]) {
    if (candidate && E164Schema.safeParse(candidate).success) return candidate;
  }
  return undefined;
}

/**
 * Schedules the reminder calls of a booked appointment, when its persona enables them: one
 * `minutesBefore` the start for each setting still ahead of `now`, to the booking's number. Each
 * is a scheduled call of kind `reminder` (and a `call.scheduled` webhook), dialled by the
 * scheduler like any other, with the appointment's time and name as variables.
 */
export async function scheduleReminders(
  tenant: TenantStorage,
  persona: Persona,
  appointment: Appointment,
  callerNumber: string | undefined,
  now: Date,
): Promise<ScheduledCall[]> {
  const { enabled, minutesBefore } = persona.phone.appointmentReminders;
  const to = reminderNumber(appointment, callerNumber);
  if (!enabled || !to) return [];
  const startsAt = new Date(appointment.startsAt);
  const timeZone = persona.businessHours?.timeZone ?? 'UTC';
  const scheduled: ScheduledCall[] = [];
  for (const minutes of [...new Set(minutesBefore)].sort((a, b) => b - a)) {
    const at = new Date(startsAt.getTime() - minutes * MINUTE);
    if (at <= now) continue;
    const reminder = await tenant.scheduledCalls.create(
      {
        kind: 'reminder',
        personaId: persona.id,
        to,
        at,
        variables: {
          appointment_time: spokenTime(startsAt, timeZone),
          appointment_name: appointment.name,
          reminder_minutes_before: minutes,
        },
        ringTimeoutSeconds: 30,
        appointmentId: appointment.id,
      },
      now,
    );
    await announceScheduled(tenant, reminder);
    scheduled.push(reminder);
  }
  return scheduled;
}
