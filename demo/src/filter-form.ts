import { h } from './dom.js';
import { objectOf, type Fields } from './form/group-fields.js';
import type { Choice } from './form/leaf-fields.js';
import { startOfDayIso } from './format.js';

/** "All" and then one choice per value: a filter select where nothing chosen means no filter. */
export function anyOf(values: readonly string[], all = 'All'): Choice[] {
  return [{ value: '', label: all }, ...values.map((value) => ({ value, label: value }))];
}

/** A list's filters in a search landmark; applying them hands their values (as typed) over. */
export function filterForm(
  label: string,
  fields: Fields,
  apply: (values: Record<string, unknown>) => void,
): HTMLFormElement {
  const object = objectOf(fields);
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': label },
    ...Object.values(fields).map((field) => field.element),
    h('button', { type: 'submit' }, 'Apply filters'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    apply(object.value());
  });
  return form;
}

/** A filter value as a query parameter: empty means "no filter". */
export function chosen(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** From/to date inputs (local days) as the list routes' `from`/`to` instants; `to` includes its day. */
export function dayRange(values: Record<string, unknown>): { from?: string; to?: string } {
  const from = chosen(values['from']);
  const to = chosen(values['to']);
  return {
    from: from === undefined ? undefined : startOfDayIso(from),
    to: to === undefined ? undefined : startOfDayIso(to, 1),
  };
}
