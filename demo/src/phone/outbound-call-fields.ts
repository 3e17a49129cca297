import type { OutboundTrunk, Persona } from '@parley/contracts';
import { recordField } from '../form/record-field.js';
import { selectField } from '../form/leaf-fields.js';

/**
 * The fields an outbound call is placed with — now ("Call a number"), at a time (scheduled calls)
 * or for a list of contacts (campaigns) — and how their empty values are left out.
 */

/** The persona that calls, by name and id; the first one chosen. */
export function personaField(personas: readonly Persona[]) {
  return selectField(
    'Persona',
    personas[0]?.id ?? '',
    personas.map((persona) => ({ value: persona.id, label: `${persona.name} (${persona.id})` })),
  );
}

/** The outbound trunk to dial through; empty is what the server picks: the persona's, else the first. */
export function trunkField(trunks: readonly OutboundTrunk[]) {
  return selectField('Trunk', '', [
    { value: '', label: 'the persona’s, else the tenant’s first trunk' },
    ...trunks.map((trunk) => ({ value: trunk.name, label: trunk.name })),
  ]);
}

/** Values for the persona's `{{placeholders}}` in this call. */
export function variablesField() {
  return recordField(
    'Variables for this call',
    {},
    {
      itemName: 'variable',
      typed: true,
      hint: 'Fill the persona’s {{placeholders}} (the callee’s name, an order number…).',
    },
  );
}

/** Typed values with the default trunk and no variables left out, as the schemas want them. */
export function withoutEmptyChoices(values: Record<string, unknown>): Record<string, unknown> {
  const variables = values['variables'];
  return {
    ...values,
    trunk: values['trunk'] || undefined,
    variables:
      typeof variables === 'object' && variables !== null && Object.keys(variables).length > 0
        ? variables
        : undefined,
  };
}
