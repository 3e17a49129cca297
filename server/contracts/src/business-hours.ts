import type { BusinessHours, Weekday } from './persona.js';
import { WEEKDAYS } from './persona.js';

export interface Interval {
  start: Date;
  end: Date;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  weekday: Weekday;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall clock in `timeZone` at `instant`. */
export function wallClock(instant: Date, timeZone: string): WallClock {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    weekday: (parts.weekday ?? '').toLowerCase().slice(0, 3) as Weekday,
  };
}

/**
 * The instant at which the wall clock in `timeZone` reads the given local time. Twice-read
 * offsets make it right across daylight-saving changes (a time skipped by the change moves on).
 */
export function zonedInstant(
  local: { year: number; month: number; day: number; hour: number; minute: number },
  timeZone: string,
): Date {
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  const offsetAt = (t: number) => {
    const w = wallClock(new Date(t), timeZone);
    return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) - t;
  };
  const first = asUtc - offsetAt(asUtc);
  return new Date(asUtc - offsetAt(first));
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The open intervals that overlap [from, to), in time order. */
export function openIntervals(hours: BusinessHours, from: Date, to: Date): Interval[] {
  const intervals: Interval[] = [];
  // Walk local calendar days from the day before `from` (time zones reach ±14 h).
  for (let t = from.getTime() - DAY; t < to.getTime() + DAY; t += DAY) {
    const { year, month, day } = wallClock(new Date(t), hours.timeZone);
    const weekday = WEEKDAYS[(new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7];
    for (const span of hours.weekly.filter((s) => s.day === weekday)) {
      const at = (hhmm: string) =>
        zonedInstant(
          {
            year,
            month,
            day,
            hour: Math.floor(toMinutes(hhmm) / 60),
            minute: toMinutes(hhmm) % 60,
          },
          hours.timeZone,
        );
      const start = at(span.open);
      const end = at(span.close);
      if (end > from && start < to) intervals.push({ start, end });
    }
  }
  const seen = new Set<number>();
  return intervals
    .filter((i) => !seen.has(i.start.getTime()) && seen.add(i.start.getTime()))
    .sort((a, b) => a.start.getTime() - b.start.getTime());
}

/** Whether [start, end) lies entirely inside one open interval. */
export function isWithinBusinessHours(hours: BusinessHours, start: Date, end: Date): boolean {
  return openIntervals(hours, start, end).some((i) => i.start <= start && i.end >= end);
}

const overlaps = (a: Interval, b: Interval) => a.start < b.end && b.start < a.end;

/**
 * Free appointment slots of `hours.appointmentMinutes`, aligned to the opening time, starting at
 * or after `from` and before `to`, that overlap none of `booked`; at most `limit`.
 */
export function freeSlots(
  hours: BusinessHours,
  from: Date,
  to: Date,
  booked: readonly Interval[],
  limit = 10,
): Interval[] {
  const length = hours.appointmentMinutes * MINUTE;
  const slots: Interval[] = [];
  for (const open of openIntervals(hours, from, to)) {
    for (let t = open.start.getTime(); t + length <= open.end.getTime(); t += length) {
      const slot = { start: new Date(t), end: new Date(t + length) };
      if (slot.start < from || slot.start >= to) continue;
      if (booked.some((b) => overlaps(b, slot))) continue;
      slots.push(slot);
      if (slots.length >= limit) return slots;
    }
  }
  return slots;
}
