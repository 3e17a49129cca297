import { OutboundCallRequestSchema, type Persona } from '@parley/contracts';
import type { AdminApi } from '../admin-api.js';
import { h } from '../dom.js';
import { selectField, textField } from '../form/leaf-fields.js';
import { recordField } from '../form/record-field.js';
import { routeHref } from '../route.js';
import { adminForm, adminSection, type AdminSection } from './admin-section.js';

/** "Call a number": a persona phones someone through the tenant's outbound trunk. */
export function outboundCallSection(api: AdminApi, personas: readonly Persona[]): AdminSection {
  return adminSection({
    id: 'call',
    title: 'Call a number',
    hint: 'The persona’s calling hours, the do-not-call list and the dial policy are checked first.',
    load: async () => {
      const trunks = await api.listOutboundTrunks();
      return adminForm({
        label: 'Call a number',
        submitLabel: 'Call',
        fields: {
          persona: selectField(
            'Persona',
            personas[0]?.id ?? '',
            personas.map((p) => ({ value: p.id, label: `${p.name} (${p.id})` })),
          ),
          to: textField('Number to call', undefined, { placeholder: '+14155550123' }),
          trunk: selectField('Trunk', '', [
            { value: '', label: 'the tenant’s first trunk' },
            ...trunks.map((trunk) => ({ value: trunk.name, label: trunk.name })),
          ]),
          variables: recordField(
            'Variables for this call',
            {},
            {
              itemName: 'variable',
              typed: true,
              hint: 'Fill the persona’s {{placeholders}} (the callee’s name, an order number…).',
            },
          ),
        },
        schema: OutboundCallRequestSchema,
        prepare: (values) => ({
          ...values,
          trunk: values['trunk'] || undefined,
          variables:
            Object.keys(values['variables'] ?? {}).length > 0 ? values['variables'] : undefined,
        }),
        submit: async (request) => {
          const placed = await api.placeOutboundCall(request);
          return h(
            'span',
            {},
            `Dialling ${request.to} (${placed.status}): `,
            h('a', { href: routeHref({ view: 'calls', callId: placed.callId }) }, 'see the call'),
          );
        },
      });
    },
  });
}
