import { DialPolicySchema, DoNotCallInputSchema, E164Schema } from '@parley/contracts';
import type { AdminApi } from '../admin-api.js';
import { h } from '../dom.js';
import { linesField, numberField, textField } from '../form/leaf-fields.js';
import { formatDateTime } from '../format.js';
import { adminForm, adminSection, removableTable, type AdminSection } from '../admin-section.js';

const DoNotCallFormSchema = DoNotCallInputSchema.extend({ e164: E164Schema });

/** Numbers that must never be dialled (outbound calls and web → phone alike). */
export function doNotCallSection(
  api: AdminApi,
  report: (message: string | Node, failed?: boolean) => void,
): AdminSection {
  const form = adminForm({
    label: 'Add to the do-not-call list',
    submitLabel: 'Add number',
    fields: {
      e164: textField('Number', undefined, { placeholder: '+14155550123' }),
      reason: textField('Reason', undefined, {
        optional: true,
        placeholder: 'asked not to be called',
      }),
    },
    schema: DoNotCallFormSchema,
    submit: async ({ e164, reason }) => {
      await api.addDoNotCall(e164, reason);
      await section.reload();
      return `${e164} will not be called.`;
    },
    reset: true,
  });
  const section = adminSection({
    title: 'Do-not-call list',
    forms: [form],
    load: async () =>
      removableTable({
        caption: 'Numbers never dialled',
        items: await api.listDoNotCall(),
        empty: 'The do-not-call list is empty.',
        columns: [
          { label: 'Number', cell: (entry) => entry.e164 },
          { label: 'Reason', cell: (entry) => entry.reason ?? '—' },
          { label: 'Added', cell: (entry) => formatDateTime(entry.createdAt) },
        ],
        name: (entry) => entry.e164,
        remove: async (entry) => {
          await api.removeDoNotCall(entry.e164);
          await section.reload();
        },
        report,
      }),
  });
  return section;
}

/** The toll-fraud and courtesy guards: which country prefixes may be dialled, how many at once. */
export function dialPolicySection(api: AdminApi): AdminSection {
  return adminSection({
    title: 'Dial policy',
    hint: 'Checked before anything dials. With no allowed prefix, no number may be dialled.',
    load: async () => {
      const policy = await api.dialPolicy();
      return adminForm({
        label: 'Dial policy',
        submitLabel: 'Save dial policy',
        fields: {
          allowedPrefixes: linesField('Allowed prefixes', policy.allowedPrefixes, {
            hint: 'One E.164 prefix per line, such as +1 or +44.',
          }),
          maxConcurrentPhoneCalls: numberField(
            'Most phone calls at once',
            policy.maxConcurrentPhoneCalls,
            { min: 0, max: 1000, hint: 'Inbound and outbound together.' },
          ),
        },
        schema: DialPolicySchema,
        submit: async (next) => {
          const saved = await api.setDialPolicy(next);
          return h(
            'span',
            {},
            `Saved: ${saved.allowedPrefixes.join(', ') || 'no prefix'}, at most ${saved.maxConcurrentPhoneCalls} at once.`,
          );
        },
      });
    },
  });
}
