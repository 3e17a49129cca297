import { OutboundCallRequestSchema, type Persona } from '@parley/contracts';
import type { AdminApi } from '../admin-api.js';
import { adminForm, adminSection, type AdminSection } from '../admin-section.js';
import { h } from '../dom.js';
import { textField } from '../form/leaf-fields.js';
import { routeHref } from '../route.js';
import {
  personaField,
  trunkField,
  variablesField,
  withoutEmptyChoices,
} from './outbound-call-fields.js';

/** "Call a number": a persona phones someone through the tenant's outbound trunk. */
export function outboundCallSection(api: AdminApi, personas: readonly Persona[]): AdminSection {
  return adminSection({
    title: 'Call a number',
    hint: 'The persona’s calling hours, the do-not-call list and the dial policy are checked first.',
    load: async () => {
      const trunks = await api.listOutboundTrunks();
      return adminForm({
        label: 'Call a number',
        submitLabel: 'Call',
        fields: {
          persona: personaField(personas),
          to: textField('Number to call', undefined, { placeholder: '+14155550123' }),
          trunk: trunkField(trunks),
          variables: variablesField(),
        },
        schema: OutboundCallRequestSchema,
        prepare: withoutEmptyChoices,
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
