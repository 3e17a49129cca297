import { WEEKDAYS, type Weekday } from '@parley/contracts';
import { selectField, textField } from '../form/leaf-fields.js';

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
