import type { Validator } from '../admin-section.js';
import { h, uniqueId } from '../dom.js';
import type { Field } from '../form/field.js';
import { textField } from '../form/leaf-fields.js';
import { csvProblem, isBlankCsv } from './contacts-csv.js';

type Issues = { path: PropertyKey[]; message: string }[];

/** The problem of the contacts text under `key`; blank is one only when contacts are `required`. */
export function contactsIssues(text: unknown, key: string, required: boolean): Issues {
  const csv = typeof text === 'string' ? text : '';
  if (!required && isBlankCsv(csv)) return [];
  const problem = csvProblem(csv);
  return problem === undefined ? [] : [{ path: [key], message: problem }];
}

/** "Add contacts": the one field, `contacts`, must hold a CSV the server can read. */
export const ContactsCsvSchema: Validator<{ contacts: string }> = {
  safeParse(value) {
    const contacts = (value as { contacts?: unknown }).contacts;
    const issues = contactsIssues(contacts, 'contacts', true);
    return issues.length > 0 || typeof contacts !== 'string'
      ? { success: false, error: { issues } }
      : { success: true, data: { contacts } };
  },
};

/**
 * Contacts as CSV: pasted into the box, or read into it from a `.csv` file, so what is sent can
 * be seen (and corrected) first. Reads as the text; blank as `undefined`.
 */
export function contactsField(): Field<string | undefined> {
  const text = textField('Contacts (CSV)', undefined, {
    multiline: true,
    rows: 6,
    optional: true,
    placeholder: 'number,name,plan\n+14155550123,Ada Lovelace,gold',
    hint: 'A header line naming the columns: number (or phone), name, and any other column becomes a variable of that contact’s calls. One contact per line.',
  });
  text.control.spellcheck = false;
  text.control.classList.add('code');
  const file = h('input', { type: 'file', id: uniqueId('field'), accept: '.csv,text/csv' });
  const status = h('p', { class: 'hint', role: 'status' });
  file.addEventListener('change', () => {
    const chosen = file.files?.[0];
    if (!chosen) return;
    // a reset after sending empties the box: what was said about the file goes with it
    file.form?.addEventListener('reset', () => (status.textContent = ''), { once: true });
    chosen.text().then(
      (content) => {
        text.control.value = content;
        status.textContent = `Read ${chosen.name} into the box above: check it, then send it.`;
      },
      (error: unknown) => {
        status.textContent = `${chosen.name} could not be read: ${error instanceof Error ? error.message : String(error)}`;
      },
    );
  });
  const element = h(
    'div',
    { class: 'contacts-field' },
    text.element,
    h('div', { class: 'field' }, h('label', { for: file.id }, 'Or read a .csv file'), file, status),
  );
  return { element, value: text.value, showIssues: text.showIssues };
}
