import { OutboundTrunkInputSchema, OutboundTrunkNameSchema } from '@parley/contracts';
import type { AdminApi } from '../admin-api.js';
import { h } from '../dom.js';
import { linesField, selectField, textField } from '../form/leaf-fields.js';
import { formatDateTime } from '../format.js';
import { adminForm, adminSection, removableTable, type AdminSection } from '../admin-section.js';

const TrunkFormSchema = OutboundTrunkInputSchema.extend({ name: OutboundTrunkNameSchema });

/** The carriers the tenant dials out through (outbound calls, transfers, web → phone). */
export function trunkSection(
  api: AdminApi,
  report: (message: string | Node, failed?: boolean) => void,
): AdminSection {
  const form = adminForm({
    label: 'Add an outbound trunk',
    submitLabel: 'Save trunk',
    fields: {
      name: textField('Name', undefined, {
        placeholder: 'carrier',
        hint: 'Lowercase letters, digits and dashes. Saving a name again replaces that trunk.',
      }),
      address: textField('Carrier address', undefined, {
        placeholder: 'sip.carrier.example:5060',
        hint: 'The carrier’s SIP host, or host:port.',
      }),
      numbers: linesField('Caller-id numbers', [], {
        hint: 'One E.164 number per line; the first is presented by default.',
      }),
      transport: selectField('Transport', 'udp', [
        { value: 'udp', label: 'UDP' },
        { value: 'tcp', label: 'TCP' },
        { value: 'tls', label: 'TLS' },
      ]),
      authUsername: textField('Username', undefined, { optional: true }),
      authPassword: textField('Password', undefined, {
        optional: true,
        type: 'password',
        autocomplete: 'new-password',
        hint: 'Kept as a tenant secret, never shown again.',
      }),
    },
    schema: TrunkFormSchema,
    submit: async ({ name, ...body }) => {
      const trunk = await api.putOutboundTrunk(name, body);
      await section.reload();
      return `Trunk ${trunk.name} saved (LiveKit ${trunk.trunkId}).`;
    },
    reset: true,
  });

  const section = adminSection({
    title: 'Outbound trunks',
    hint: 'Parley dials outbound calls, warm transfers and “continue on my phone” through these.',
    forms: [h('h4', {}, 'Add an outbound trunk'), form],
    load: async () =>
      removableTable({
        caption: 'Outbound trunks',
        items: await api.listOutboundTrunks(),
        empty: 'No outbound trunk: nothing can be dialled.',
        columns: [
          { label: 'Name', cell: (trunk) => trunk.name },
          { label: 'Address', cell: (trunk) => h('code', {}, trunk.address) },
          { label: 'Numbers', cell: (trunk) => trunk.numbers.join(', ') },
          { label: 'Transport', cell: (trunk) => trunk.transport },
          { label: 'Username', cell: (trunk) => trunk.authUsername ?? '—' },
          { label: 'Added', cell: (trunk) => formatDateTime(trunk.createdAt) },
        ],
        name: (trunk) => `trunk ${trunk.name}`,
        remove: async (trunk) => {
          await api.removeOutboundTrunk(trunk.name);
          await section.reload();
        },
        report,
      }),
  });
  return section;
}
