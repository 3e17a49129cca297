import {
  AssignPhoneNumberRequestSchema,
  E164Schema,
  InboundAccessSchema,
  type Persona,
} from '@parley/contracts';
import type { AdminApi, PhoneNumberRecord } from '../admin-api.js';
import { h } from '../dom.js';
import { linesField, textField } from '../form/leaf-fields.js';
import {
  adminForm,
  adminSection,
  listOf,
  removableTable,
  type AdminSection,
} from '../admin-section.js';
import { personaField } from './outbound-call-fields.js';

const AssignmentSchema = AssignPhoneNumberRequestSchema.merge(InboundAccessSchema).extend({
  e164: E164Schema,
});

function access(record: PhoneNumberRecord): string {
  const addresses = record.provisioning?.allowedAddresses ?? record.allowedAddresses ?? [];
  const parts = [
    addresses.length > 0 ? `from ${addresses.join(', ')}` : '',
    record.provisioning?.authRequired || record.authUsername
      ? `digest${record.authUsername ? ` (${record.authUsername})` : ''}`
      : '',
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(' + ') : '—';
}

/** The tenant's numbers: which persona answers each, who may send calls to it; assign, unassign. */
export function numberSection(
  api: AdminApi,
  personas: readonly Persona[],
  report: (message: string | Node, failed?: boolean) => void,
): AdminSection {
  const form = adminForm({
    label: 'Assign a number',
    submitLabel: 'Assign number',
    fields: {
      e164: textField('Number', undefined, {
        placeholder: '+14155550123',
        hint: 'E.164: + and the country code. Assigning it again points it at another persona.',
      }),
      personaId: personaField(personas),
      label: textField('Label', undefined, { optional: true, placeholder: 'Support line' }),
      allowedAddresses: linesField('Allowed carrier addresses', [], {
        hint: 'One IP or CIDR per line (your carrier’s signalling addresses). Empty: the server’s PARLEY_SIP_ALLOWED_ADDRESSES.',
      }),
      authUsername: textField('Digest username', undefined, {
        optional: true,
        hint: 'With a password: callers must also authenticate (SIP digest).',
      }),
      authPassword: textField('Digest password', undefined, {
        optional: true,
        type: 'password',
        autocomplete: 'new-password',
        hint: 'At least 8 characters; kept as a tenant secret, never shown again.',
      }),
    },
    schema: AssignmentSchema,
    prepare: (values) => ({ ...values, allowedAddresses: listOf(values['allowedAddresses']) }),
    submit: async ({ e164, ...body }) => {
      const record = await api.assignPhoneNumber(e164, body);
      await section.reload();
      return `${record.e164} now answers with persona ${record.personaId}.`;
    },
    reset: true,
  });

  const section = adminSection({
    title: 'Phone numbers',
    hint: 'Calls to an assigned number reach its persona through livekit-sip; unassigned numbers reach nobody.',
    forms: [h('h4', {}, 'Assign a number'), form],
    load: async () =>
      removableTable({
        caption: 'Numbers and the personas that answer them',
        items: await api.listPhoneNumbers(),
        empty: 'No number is assigned yet.',
        columns: [
          { label: 'Number', cell: (record) => record.e164 },
          { label: 'Label', cell: (record) => record.label ?? '—' },
          { label: 'Persona', cell: (record) => record.personaId },
          { label: 'Who may call in', cell: access },
          {
            label: 'LiveKit',
            cell: (record) =>
              record.provisioning
                ? h(
                    'code',
                    {},
                    `${record.provisioning.trunkId} · ${record.provisioning.dispatchRuleId}`,
                  )
                : '—',
          },
        ],
        name: (record) => record.e164,
        removeLabel: 'Unassign',
        remove: async (record) => {
          await api.unassignPhoneNumber(record.e164);
          await section.reload();
        },
        report,
      }),
  });
  return section;
}
