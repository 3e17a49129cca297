import { issuesUnder, type Field } from './field.js';
import { listField, type Fields } from './group-fields.js';
import { selectField, textField } from './leaf-fields.js';

export type Scalar = string | number | boolean;

export interface RecordOptions {
  itemName: string;
  hint?: string;
  keyLabel?: string;
  /** Values may be numbers and true/false as well as text (persona variables). */
  typed?: boolean;
}

type ScalarType = 'text' | 'number' | 'boolean';

const TYPE_CHOICES = [
  { value: 'text', label: 'text' },
  { value: 'number', label: 'number' },
  { value: 'boolean', label: 'true/false' },
];

function typeOf(value: Scalar | undefined): ScalarType {
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  return 'text';
}

/** Text as the chosen type; text that is no number stays NaN so the schema rejects it. */
function asType(text: string, type: string): Scalar {
  if (type === 'number') return text.trim() === '' ? Number.NaN : Number(text);
  if (type === 'boolean') return text.trim().toLowerCase() === 'true';
  return text;
}

/**
 * Name → value pairs (persona variables, webhook headers) as rows of a list. Reads as an object;
 * a problem with one entry shows on its row.
 */
export function recordField(
  legend: string,
  initial: Readonly<Record<string, Scalar>>,
  options: RecordOptions,
): Field<Record<string, Scalar>> {
  const makeRow = (entry: [string, Scalar] | undefined): Fields => {
    const [key, value] = entry ?? ['', ''];
    const fields: Fields = { key: textField(options.keyLabel ?? 'Name', key) };
    if (options.typed) {
      fields['type'] = selectField('Type', typeOf(value), TYPE_CHOICES, {
        hint: 'true/false values: write true or false',
      });
    }
    fields['value'] = textField('Value', String(value));
    return fields;
  };
  const list = listField(legend, Object.entries(initial), makeRow, options);
  return {
    element: list.element,
    value() {
      const result: Record<string, Scalar> = {};
      for (const row of list.value()) {
        const { key, type, value } = row as { key?: string; type?: string; value?: string };
        if (key === undefined || key === '') continue;
        result[key] = asType(value ?? '', type ?? 'text');
      }
      return result;
    },
    showIssues(issues) {
      const rows = list.items();
      const keys = rows.map((row) => String(row.value()['key'] ?? ''));
      list.showIssues(issues.filter((issue) => !keys.includes(String(issue.path[0]))));
      // an entry's problem has its name as its path: it shows on the (first) row of that name
      rows.forEach((row, index) => {
        const key = keys[index] ?? '';
        const mine = keys.indexOf(key) === index ? issuesUnder(issues, key) : [];
        row.showIssues(mine.map((issue) => ({ path: [], message: issue.message })));
      });
    },
  };
}
