import { h, uniqueId } from '../dom.js';
import { issuesUnder, reveal, type Field, type Issue } from './field.js';
import type { Choice } from './leaf-fields.js';

export type Fields = Record<string, Field>;

export interface GroupOptions {
  hint?: string;
  /** A collapsible `<details>` section instead of a `<fieldset>`. */
  collapsible?: boolean;
  open?: boolean;
}

export interface GroupField extends Field<Record<string, unknown>> {
  /** The visible name of the group (list items renumber it). */
  readonly legend: HTMLElement;
}

/** Shows the group-level problems (a refinement over several fields, a list's length…). */
function errorLine(): { element: HTMLElement; show(messages: readonly string[]): void } {
  const element = h('p', { class: 'field-error group-error', hidden: true });
  return {
    element,
    show(messages) {
      element.textContent = messages.join('; ');
      element.hidden = messages.length === 0;
      if (messages.length > 0) reveal(element);
    },
  };
}

/**
 * Reading and issue routing for an object of fields: reads as `{ key: value }`, leaving out keys
 * whose value is `undefined`; `showIssues` hands each field its issues and answers the rest (about
 * the object as a whole) for the caller to show.
 */
export function objectOf(fields: Fields): {
  value(): Record<string, unknown>;
  showIssues(issues: readonly Issue[]): Issue[];
} {
  return {
    value() {
      const result: Record<string, unknown> = {};
      for (const [key, field] of Object.entries(fields)) {
        const value = field.value();
        if (value !== undefined) result[key] = value;
      }
      return result;
    },
    showIssues(issues) {
      for (const [key, field] of Object.entries(fields)) field.showIssues(issuesUnder(issues, key));
      return issues.filter(
        (issue) => issue.path.length === 0 || !(String(issue.path[0]) in fields),
      );
    },
  };
}

/** An object of fields in a `<fieldset>` (or a collapsible `<details>` section). */
export function group(legend: string, fields: Fields, options: GroupOptions = {}): GroupField {
  const hint = options.hint ? h('p', { class: 'hint' }, options.hint) : null;
  const error = errorLine();
  const body = h(
    'div',
    { class: 'group-fields' },
    ...Object.values(fields).map((field) => field.element),
  );
  let element: HTMLElement;
  let legendElement: HTMLElement;
  if (options.collapsible) {
    legendElement = h('summary', { id: uniqueId('section') }, legend);
    const region = h(
      'div',
      { role: 'group', 'aria-labelledby': legendElement.id },
      hint,
      error.element,
      body,
    );
    element = h('details', { class: 'section', open: options.open }, legendElement, region);
  } else {
    legendElement = h('legend', {}, legend);
    element = h('fieldset', { class: 'group' }, legendElement, hint, error.element, body);
  }
  const object = objectOf(fields);
  return {
    element,
    legend: legendElement,
    value: object.value,
    showIssues: (issues) => error.show(object.showIssues(issues).map((issue) => issue.message)),
  };
}

/** A field that may be absent: a checkbox turns it on; off, it reads as `undefined`. */
export function optionalField(toggleLabel: string, inner: Field, enabled: boolean): Field {
  const toggle = h('input', { type: 'checkbox', id: uniqueId('toggle') });
  toggle.checked = enabled;
  toggle.setAttribute('aria-expanded', String(enabled));
  const sync = () => {
    inner.element.hidden = !toggle.checked;
    toggle.setAttribute('aria-expanded', String(toggle.checked));
  };
  toggle.addEventListener('change', sync);
  sync();
  const element = h(
    'div',
    { class: 'optional' },
    h('div', { class: 'field field-check' }, toggle, h('label', { for: toggle.id }, toggleLabel)),
    inner.element,
  );
  return {
    element,
    value: () => (toggle.checked ? inner.value() : undefined),
    showIssues: (issues) => inner.showIssues(issues),
  };
}

/** Checkboxes for a set of names; reads as the checked ones, in `choices` order. */
export function checkboxGroup(
  legend: string,
  choices: readonly Choice[],
  selected: readonly string[],
  hint?: string,
): Field<string[]> {
  const boxes = choices.map((choice) => {
    const box = h('input', { type: 'checkbox', id: uniqueId('choice'), value: choice.value });
    box.checked = selected.includes(choice.value);
    return box;
  });
  const error = errorLine();
  const element = h(
    'fieldset',
    { class: 'group checkbox-group' },
    h('legend', {}, legend),
    hint ? h('p', { class: 'hint' }, hint) : null,
    error.element,
    ...boxes.map((box, index) =>
      h(
        'div',
        { class: 'field field-check' },
        box,
        h('label', { for: box.id }, choices[index]?.label ?? box.value),
      ),
    ),
  );
  return {
    element,
    value: () => boxes.filter((box) => box.checked).map((box) => box.value),
    showIssues: (issues) => error.show(issues.map((issue) => issue.message)),
  };
}

export interface ListOptions {
  /** What one item is called: "knowledge entry" gives "Knowledge entry 2", "Remove knowledge entry 2". */
  itemName: string;
  hint?: string;
}

export interface ListField extends Field<unknown[]> {
  /** The items' own fields, in order. */
  items(): readonly GroupField[];
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * A list of like items (knowledge entries, tools, opening spans…) with Add and Remove buttons.
 * Focus follows the change: to the new item's first control, or after a removal to the item that
 * took the removed one's place (or the Add button).
 */
export function listField<T>(
  legend: string,
  initial: readonly T[],
  makeFields: (value: T | undefined) => Fields,
  options: ListOptions,
): ListField {
  const entries: { item: GroupField; row: HTMLLIElement; remove: HTMLButtonElement }[] = [];
  const list = h('ol', { class: 'list-items' });
  const error = errorLine();
  const add = h('button', { type: 'button', class: 'secondary' }, `Add ${options.itemName}`);

  const renumber = () => {
    entries.forEach(({ item, remove }, index) => {
      const name = `${options.itemName} ${index + 1}`;
      item.legend.textContent = capitalized(name);
      remove.textContent = 'Remove';
      remove.setAttribute('aria-label', `Remove ${name}`);
    });
  };

  const firstControl = (element: HTMLElement) =>
    element.querySelector<HTMLElement>('input, select, textarea, button');

  const append = (value: T | undefined): HTMLElement => {
    const item = group('', makeFields(value));
    const remove = h('button', { type: 'button', class: 'remove secondary' });
    item.element.append(remove);
    const row = h('li', {}, item.element);
    const entry = { item, row, remove };
    remove.addEventListener('click', () => {
      const index = entries.indexOf(entry);
      entries.splice(index, 1);
      row.remove();
      renumber();
      const next = entries[index]?.row;
      (next ? firstControl(next) : add)?.focus();
    });
    entries.push(entry);
    list.append(row);
    renumber();
    return row;
  };

  initial.forEach((value) => append(value));
  add.addEventListener('click', () => firstControl(append(undefined))?.focus());

  const element = h(
    'fieldset',
    { class: 'group list' },
    h('legend', {}, legend),
    options.hint ? h('p', { class: 'hint' }, options.hint) : null,
    error.element,
    list,
    add,
  );
  return {
    element,
    items: () => entries.map((entry) => entry.item),
    value: () => entries.map((entry) => entry.item.value()),
    showIssues(issues) {
      entries.forEach((entry, index) => entry.item.showIssues(issuesUnder(issues, index)));
      error.show(
        issues.filter((issue) => typeof issue.path[0] !== 'number').map((issue) => issue.message),
      );
    },
  };
}
