import { WEEKDAYS, type Weekday } from '@parley/contracts';
import { selectField, textField } from './leaf-fields.js';

const DAY_NAMES: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

interface Span {
  day: Weekday;
  open: string;
  close: string;
}

/** Monday to Friday, each from `open` to `close`: what new weekly hours start from. */
export function weekdaySpans(open: string, close: string): Span[] {
  return (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({ day, open, close }));
}

/** An IANA time zone, with the ones this browser knows suggested; the browser's own by default. */
export function timeZoneField(value: string | undefined) {
  return textField('Time zone', value ?? Intl.DateTimeFormat().resolvedOptions().timeZone, {
    suggestions: Intl.supportedValuesOf('timeZone'),
    hint: 'An IANA time zone such as Europe/Paris.',
  });
}

/**
 * The fields of one weekly span (a day, from, to): business hours' opening spans and the phone's
 * calling hours, with their own labels and default closing time.
 */
export function weeklySpanFields(
  span: Span | undefined,
  labels: { open: string; close: string; defaultClose: string },
) {
  return {
    day: selectField(
      'Day',
      span?.day ?? 'mon',
      WEEKDAYS.map((day) => ({ value: day, label: DAY_NAMES[day] })),
    ),
    open: textField(labels.open, span?.open ?? '09:00', { type: 'time' }),
    close: textField(labels.close, span?.close ?? labels.defaultClose, { type: 'time' }),
  };
}
