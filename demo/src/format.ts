/** How the studio writes times, durations, latencies and money. */

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export function formatDateTime(iso: string | undefined): string {
  if (iso === undefined) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

/** `1 min 05 s`, `12 s`; `—` when unknown. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '—';
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
}

/** Latencies: whole milliseconds. */
export function formatMs(ms: number | undefined): string {
  return ms === undefined ? '—' : `${Math.round(ms)} ms`;
}

/** Per-call costs are often fractions of a cent: four decimals, in US dollars. */
export function formatCost(usd: number | undefined): string {
  return usd === undefined ? '—' : `$${usd.toFixed(4)}`;
}

/** The start of a local calendar day (`YYYY-MM-DD` from a date input), as an ISO instant. */
export function startOfDayIso(day: string, plusDays = 0): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return undefined;
  const [, year, month, date] = match.map(Number) as [number, number, number, number];
  return new Date(year, month - 1, date + plusDays).toISOString();
}

/** A `datetime-local` input's value (`YYYY-MM-DDTHH:MM`, local time) as an ISO instant. */
export function localDateTimeIso(value: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!match) return undefined;
  const [year, month, day, hours, minutes, seconds] = match
    .slice(1)
    .map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  return new Date(year, month - 1, day, hours, minutes, seconds).toISOString();
}

/** `date` as a `datetime-local` input's value, to the minute, in local time. */
export function localDateTimeValue(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}T${two(date.getHours())}:${two(date.getMinutes())}`;
}
