/**
 * Dates and times as callers say them and as the agent says them back, in the business's time
 * zone: "tomorrow at ten thirty" → a local day and time, and an instant → "Monday, March 10 at
 * 10:30 AM".
 */
import { wallClock, zonedInstant } from '@parley/contracts';
import * as chrono from 'chrono-node';
import { splitWords } from '../text/words.js';
import { numbersAsDigits, readOrdinal } from './number-words.js';

export interface LocalDay {
  year: number;
  month: number;
  day: number;
}

export interface LocalTime {
  hour: number;
  minute: number;
}

export interface SaidWhen {
  day: LocalDay;
  /** Whether the caller named the day (else it is chrono's guess: today or tomorrow). */
  dayGiven: boolean;
  time?: LocalTime;
  /** Without a time, the hour a part of the day said stands for ("friday morning" → 6:00). */
  partOfDay?: LocalTime;
}

const PART_OF_DAY = /\b(morning|noon|afternoon|evening|tonight|night)\b/;

const MINUTE = 60_000;

/** Minutes the zone's wall clock is ahead of UTC at `instant`. */
export function offsetMinutes(instant: Date, timeZone: string): number {
  const w = wallClock(instant, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
  return Math.round((asUtc - Math.floor(instant.getTime() / MINUTE) * MINUTE) / MINUTE);
}

const pad = (n: number) => String(Math.abs(n)).padStart(2, '0');

/** `instant` as ISO 8601 with the zone's offset, e.g. `2025-03-10T10:00:00-04:00`. */
export function isoInZone(instant: Date, timeZone: string): string {
  const w = wallClock(instant, timeZone);
  const offset = offsetMinutes(instant, timeZone);
  const sign = offset < 0 ? '-' : '+';
  const zone = `${sign}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`;
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:00${zone}`;
}

/** The local calendar day of `instant` in the zone. */
export function localDay(instant: Date, timeZone: string): LocalDay {
  const { year, month, day } = wallClock(instant, timeZone);
  return { year, month, day };
}

/** The instant the zone's wall clock reads `time` on `day` (midnight without a time). */
export function instantOf(day: LocalDay, time: LocalTime | undefined, timeZone: string): Date {
  return zonedInstant({ ...day, hour: time?.hour ?? 0, minute: time?.minute ?? 0 }, timeZone);
}

/** The day after `day`. */
export function nextDay(day: LocalDay): LocalDay {
  const d = new Date(Date.UTC(day.year, day.month - 1, day.day + 1));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

const ordinalSuffix = (n: number) =>
  n % 10 === 1 && n !== 11
    ? 'st'
    : n % 10 === 2 && n !== 12
      ? 'nd'
      : n % 10 === 3 && n !== 13
        ? 'rd'
        : 'th';

/** Hours that, said without "am" or "pm", mean the afternoon at a business ("at three", "2:30"). */
const AFTERNOON_CLOCK = /\b([1-7]):(\d\d)\b(?! ?(am|pm|in the morning))/g;
const AFTERNOON_HOUR = /\b(at|around|about|by) ([1-7])(?![:\d])(?! ?(am|pm|in the morning))/g;

/**
 * What chrono reads best: digits ("ten thirty" → "10:30", "march tenth" → "march 10th",
 * "nine o'clock" → "9:00", "half past two" → "2:30") and "pm" on afternoon hours said bare.
 */
export function timeText(text: string): string {
  const words = splitWords(text.replace(/\b([ap])\.\s?m\b\.?/gi, '$1m'));
  const ordinals: string[] = [];
  for (let i = 0; i < words.length;) {
    const ordinal = readOrdinal(words, i);
    if (ordinal && ordinal.value <= 31 && words[i] !== 'second') {
      ordinals.push(`${ordinal.value}${ordinalSuffix(ordinal.value)}`);
      i = ordinal.end;
    } else ordinals.push(words[i++] as string);
  }
  return numbersAsDigits(ordinals)
    .join(' ')
    .replace(/\b([ap]) m\b/g, '$1m')
    .replace(/\bhalf past (\d{1,2})\b/g, '$1:30')
    .replace(/\bquarter past (\d{1,2})\b/g, '$1:15')
    .replace(/\b(\d{1,2}) o'clock\b/g, '$1:00')
    .replace(/\b(\d{1,2}) ([0-5]\d)\b/g, (whole, h: string, m: string) =>
      Number(h) <= 12 ? `${h}:${m}` : whole,
    )
    .replace(AFTERNOON_CLOCK, '$1:$2 pm')
    .replace(AFTERNOON_HOUR, '$1 $2 pm');
}

/** The day and time a caller said, relative to `now` in the zone; `undefined` if none. */
export function parseWhen(text: string, now: Date, timeZone: string): SaidWhen | undefined {
  const reference = { instant: now, timezone: offsetMinutes(now, timeZone) };
  const result = chrono.parse(timeText(text), reference, { forwardDate: true })[0];
  if (!result) return undefined;
  const { start } = result;
  const day = { year: start.get('year'), month: start.get('month'), day: start.get('day') };
  if (day.year === null || day.month === null || day.day === null) return undefined;
  const said: SaidWhen = {
    day: { year: day.year, month: day.month, day: day.day },
    dayGiven: start.isCertain('day') || start.isCertain('weekday'),
  };
  const clock = { hour: start.get('hour') ?? 0, minute: start.get('minute') ?? 0 };
  if (start.isCertain('hour')) said.time = clock;
  else if (PART_OF_DAY.test(result.text.toLowerCase())) said.partOfDay = clock;
  return said;
}

/** "10 AM", "10:30 AM": what a speech synthesiser reads well. */
export function spokenClock(instant: Date, timeZone: string): string {
  const { hour, minute } = wallClock(instant, timeZone);
  const meridiem = hour < 12 ? 'AM' : 'PM';
  const h12 = hour % 12 === 0 ? 12 : hour % 12;
  return minute === 0 ? `${h12} ${meridiem}` : `${h12}:${pad(minute)} ${meridiem}`;
}

/** "Monday, March 10". */
export function spokenDay(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'long',
    month: 'long',
    day: 'numeric',
  }).format(instant);
}

/** "Monday, March 10 at 10 AM". */
export const spokenTime = (instant: Date, timeZone: string) =>
  `${spokenDay(instant, timeZone)} at ${spokenClock(instant, timeZone)}`;

/** "a, b or c". */
export function spokenList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

/**
 * Several times, naming each day once: "Monday, March 10 at 9 AM, 9:30 AM or 10 AM" or
 * "Friday, March 7 at 4:30 PM or Monday, March 10 at 9 AM".
 */
export function spokenTimes(instants: readonly Date[], timeZone: string): string {
  const days = new Map<string, string[]>();
  for (const instant of instants) {
    const day = spokenDay(instant, timeZone);
    days.set(day, [...(days.get(day) ?? []), spokenClock(instant, timeZone)]);
  }
  if (days.size === 1) {
    const [[day, clocks]] = [...days] as [[string, string[]]];
    return `${day} at ${spokenList(clocks)}`;
  }
  return spokenList(instants.map((i) => spokenTime(i, timeZone)));
}
