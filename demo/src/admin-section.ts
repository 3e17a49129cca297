import { focusElement, h, uniqueId, whileBusy } from './dom.js';
import type { Issue } from './form/field.js';
import { objectOf, type Fields } from './form/group-fields.js';
import { dataTable, type Column } from './paged-table.js';
import { errorNotice } from './studio-context.js';

/**
 * A titled part of an admin view (Phone, Scheduled calls): what exists (a table, loaded again after
 * each change), a form.
 */
export interface AdminSection {
  readonly element: HTMLElement;
  /** Loads (again) what the section lists. */
  reload(): Promise<void>;
}

export interface AdminSectionOptions {
  title: string;
  hint?: string;
  /** Loads what the section shows; rejects with the server's error, which is shown instead. */
  load(): Promise<string | Node>;
  /** The section's form(s), built once. */
  forms?: readonly HTMLElement[];
}

export function adminSection(options: AdminSectionOptions): AdminSection {
  const content = h('div', { class: 'admin-content' });
  const heading = h('h3', { id: uniqueId('section') }, options.title);
  const element = h(
    'section',
    { class: 'admin-section', 'aria-labelledby': heading.id },
    heading,
    options.hint ? h('p', { class: 'hint' }, options.hint) : null,
    content,
    ...(options.forms ?? []),
  );
  return {
    element,
    async reload() {
      const hadFocus = content.contains(document.activeElement);
      try {
        content.replaceChildren(await options.load());
      } catch (error) {
        content.replaceChildren(errorNotice(error));
      }
      // the button just used went with the old table: the section keeps the keyboard's place
      if (hadFocus && !element.contains(document.activeElement)) focusElement(heading);
    },
  };
}

/** A table of `items`, with a remove button per row, or `empty` when there are none. */
export function removableTable<T>(options: {
  caption: string;
  columns: readonly Column<T>[];
  items: readonly T[];
  empty: string;
  /** Names the row in the remove button's accessible name ("Remove +14155550123"). */
  name(item: T): string;
  removeLabel?: string;
  /** Whether the row has the remove button (all rows do by default). */
  removable?(item: T): boolean;
  remove(item: T): Promise<void>;
  /** Shows the outcome of a removal (its errors included). */
  report(message: string | Node, failed?: boolean): void;
}): HTMLElement {
  if (options.items.length === 0) return h('p', { class: 'muted' }, options.empty);
  const label = options.removeLabel ?? 'Remove';
  return dataTable(
    options.caption,
    [
      ...options.columns,
      {
        label: 'Actions',
        cell: (item: T) => {
          if (options.removable && !options.removable(item)) return '—';
          const button = h(
            'button',
            {
              type: 'button',
              class: 'secondary small',
              'aria-label': `${label} ${options.name(item)}`,
            },
            label,
          );
          button.addEventListener('click', () =>
            whileBusy(button, () =>
              options.remove(item).then(
                () => options.report(`${label}: ${options.name(item)} — done.`),
                (error: unknown) => options.report(errorNotice(error), true),
              ),
            ),
          );
          return button;
        },
      },
    ],
    options.items,
  );
}

/** What the form needs of a zod schema from the contracts (the studio does not depend on zod). */
export interface Validator<V> {
  safeParse(
    value: unknown,
  ):
    | { success: true; data: V }
    | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
}

export interface AdminFormOptions<V> {
  /** The form's accessible name. */
  label: string;
  submitLabel: string;
  fields: Fields;
  /** Validates what was typed; issues are shown beside their fields. */
  schema: Validator<V>;
  /** Shapes the typed values before validation (empty strings out, lines split…). */
  prepare?(values: Record<string, unknown>): unknown;
  /** Sends it; resolves with what to tell the admin. */
  submit(value: V): Promise<string | Node>;
  /** Clears the fields after a successful submit. */
  reset?: boolean;
}

/**
 * A form with client-side validation by the server's own schema, a `role="status"` line for the
 * outcome and a `role="alert"` one for the server's refusal (`code: message`).
 */
export function adminForm<V>(options: AdminFormOptions<V>): HTMLFormElement {
  const object = objectOf(options.fields);
  const outcome = h('div', { class: 'status-line', role: 'status' });
  const submit = h('button', { type: 'submit' }, options.submitLabel);
  const form = h(
    'form',
    { class: 'admin-form', 'aria-label': options.label, novalidate: true },
    ...Object.values(options.fields).map((field) => field.element),
    h('div', { class: 'form-actions' }, submit),
    outcome,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const raw = object.value();
    const parsed = options.schema.safeParse(options.prepare ? options.prepare(raw) : raw);
    if (!parsed.success) {
      const issues: Issue[] = parsed.error.issues.map((i) => ({
        path: i.path,
        message: i.message,
      }));
      const rest = object.showIssues(issues);
      outcome.replaceChildren(
        rest.length > 0 ? errorNotice(new Error(rest.map((i) => i.message).join('; '))) : '',
      );
      form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    object.showIssues([]);
    submit.disabled = true;
    outcome.replaceChildren('Saving…');
    options
      .submit(parsed.data)
      .then((message) => {
        outcome.replaceChildren(message);
        if (options.reset) form.reset();
      })
      .catch((error: unknown) => outcome.replaceChildren(errorNotice(error)))
      .finally(() => {
        submit.disabled = false;
      });
  });
  return form;
}

/** Lines of a textarea field as a list; `undefined` (an empty optional field) as none. */
export function listOf(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.length > 0 ? value.map(String) : undefined;
}
