import { h, uniqueId } from '../dom.js';
import { describePath, reveal, type Field, type Issue } from './field.js';

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

export interface LeafOptions {
  hint?: string;
}

/**
 * One labelled control with its hint and its error line, wired for assistive technology: the
 * label is a `<label for>`, hint and error are the control's description, and a field with a
 * problem is `aria-invalid`.
 */
function leaf<T>(
  label: string,
  control: Control,
  read: () => T,
  options: LeafOptions & {
    kind?: 'check';
    /** The message to show instead of the schema's, e.g. a JSON syntax error. */
    ownProblem?: () => string | undefined;
  } = {},
): Field<T> {
  control.id = uniqueId('field');
  const hint = options.hint ? h('p', { class: 'hint', id: uniqueId('hint') }, options.hint) : null;
  const error = h('p', { class: 'field-error', id: uniqueId('error'), hidden: true });
  control.setAttribute('aria-describedby', [hint?.id, error.id].filter(Boolean).join(' '));
  const labelElement = h('label', { for: control.id }, label);
  const element =
    options.kind === 'check'
      ? h('div', { class: 'field field-check' }, control, labelElement, hint, error)
      : h('div', { class: 'field' }, labelElement, control, hint, error);
  return {
    element,
    value: read,
    showIssues(issues: readonly Issue[]) {
      const messages = issues.map((issue) =>
        issue.path.length > 0 ? `${describePath(issue.path)}: ${issue.message}` : issue.message,
      );
      const problem = issues.length > 0 ? (options.ownProblem?.() ?? messages.join('; ')) : '';
      error.textContent = problem;
      error.hidden = problem === '';
      if (problem === '') control.removeAttribute('aria-invalid');
      else {
        control.setAttribute('aria-invalid', 'true');
        reveal(element);
      }
    },
  };
}

export interface TextOptions extends LeafOptions {
  /** Empty (or blank) reads as `undefined`, so an optional property is left out. */
  optional?: boolean;
  multiline?: boolean;
  rows?: number;
  type?: 'text' | 'url' | 'password' | 'time' | 'date' | 'datetime-local' | 'search';
  /** Suggestions offered as a `<datalist>`; any other text is still allowed. */
  suggestions?: readonly string[];
  readOnly?: boolean;
  placeholder?: string;
  autocomplete?: string;
}

export function textField(
  label: string,
  value: string | undefined,
  options: TextOptions = {},
): Field<string | undefined> & { control: HTMLInputElement | HTMLTextAreaElement } {
  const common = {
    readonly: options.readOnly,
    placeholder: options.placeholder,
    autocomplete: options.autocomplete ?? 'off',
    spellcheck: options.multiline ? 'true' : 'false',
  };
  const control = options.multiline
    ? h('textarea', { ...common, rows: options.rows ?? 3 })
    : h('input', { ...common, type: options.type ?? 'text' });
  control.value = value ?? '';
  const field = leaf(
    label,
    control,
    () => (options.optional && control.value.trim() === '' ? undefined : control.value),
    options,
  );
  if (options.suggestions && control instanceof HTMLInputElement) {
    const list = h('datalist', { id: uniqueId('suggestions') });
    list.append(...options.suggestions.map((suggestion) => h('option', { value: suggestion })));
    control.setAttribute('list', list.id);
    field.element.append(list);
  }
  return { ...field, control };
}

export interface NumberOptions extends LeafOptions {
  min?: number;
  max?: number;
  step?: number | 'any';
}

/** Empty reads as `undefined` (the schema's default applies); anything else as a number. */
export function numberField(
  label: string,
  value: number | undefined,
  options: NumberOptions = {},
): Field<number | undefined> {
  const control = h('input', {
    type: 'number',
    min: options.min,
    max: options.max,
    step: options.step ?? 1,
    inputmode: 'decimal',
  });
  control.value = value === undefined ? '' : String(value);
  return leaf(
    label,
    control,
    () => (control.value.trim() === '' ? undefined : Number(control.value)),
    options,
  );
}

export function checkboxField(
  label: string,
  checked: boolean,
  options: LeafOptions = {},
): Field<boolean> & { control: HTMLInputElement } {
  const control = h('input', { type: 'checkbox' });
  control.checked = checked;
  return { ...leaf(label, control, () => control.checked, { ...options, kind: 'check' }), control };
}

export interface Choice {
  value: string;
  label: string;
}

export function selectField(
  label: string,
  value: string,
  choices: readonly Choice[],
  options: LeafOptions = {},
): Field<string> & { control: HTMLSelectElement } {
  const control = h('select');
  control.append(...choices.map((choice) => h('option', { value: choice.value }, choice.label)));
  control.value = value;
  return { ...leaf(label, control, () => control.value, options), control };
}

/** A textarea read as one string per non-blank line. */
export function linesField(
  label: string,
  values: readonly string[],
  options: LeafOptions & { rows?: number } = {},
): Field<string[]> {
  const control = h('textarea', { rows: options.rows ?? 3, spellcheck: 'true' });
  control.value = values.join('\n');
  const read = () =>
    control.value
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '');
  const field = leaf(label, control, read, options);
  return {
    ...field,
    // positions in the list are lines to the person typing them
    showIssues: (issues) =>
      field.showIssues(
        issues.map((issue) =>
          typeof issue.path[0] === 'number'
            ? { path: [], message: `line ${issue.path[0] + 1}: ${issue.message}` }
            : issue,
        ),
      ),
  };
}

/** A textarea read as one number per non-blank line (what is not a number reads as NaN). */
export function numberLinesField(
  label: string,
  values: readonly number[],
  options: LeafOptions & { rows?: number } = {},
): Field<number[]> {
  const lines = linesField(label, values.map(String), options);
  return { ...lines, value: () => lines.value().map(Number) };
}

/**
 * A textarea holding JSON (tool argument schemas). Text that is not JSON reads as the text
 * itself, so the schema rejects it, and the field shows the syntax error rather than the
 * schema's "expected object".
 */
export function jsonField(label: string, value: unknown, options: LeafOptions = {}): Field {
  const control = h('textarea', { rows: 4, spellcheck: 'false', class: 'code' });
  control.value = JSON.stringify(value, null, 2);
  const parse = (): { value: unknown } | { problem: string } => {
    try {
      return { value: JSON.parse(control.value) as unknown };
    } catch (error) {
      return { problem: `not JSON: ${error instanceof Error ? error.message : String(error)}` };
    }
  };
  return leaf(
    label,
    control,
    () => {
      const parsed = parse();
      return 'value' in parsed ? parsed.value : control.value;
    },
    {
      ...options,
      ownProblem: () => {
        const parsed = parse();
        return 'problem' in parsed ? parsed.problem : undefined;
      },
    },
  );
}
