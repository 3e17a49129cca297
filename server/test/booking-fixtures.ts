/** Test support shared by the server's and the agent's booking suites. */
import type { BusinessHours } from '@parley/contracts';

/** Open every day, 09:00–17:00 UTC, in 30-minute slots: any test day has free slots. */
export const EVERY_DAY_NINE_TO_FIVE_UTC: BusinessHours = {
  timeZone: 'UTC',
  weekly: (['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const).map((day) => ({
    day,
    open: '09:00',
    close: '17:00',
  })),
  appointmentMinutes: 30,
};

/** `offsetDays` from today (UTC) at hh:mm UTC. */
export function utcDayAt(offsetDays: number, hh: number, mm = 0): Date {
  const now = new Date();
  return new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + offsetDays, hh, mm),
  );
}
