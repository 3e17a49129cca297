import type { Call } from '@parley/contracts';
import { CallOutcomeSchema, ChannelSchema } from '@parley/contracts';
import type { AdminApi, CallQuery } from '../admin-api.js';
import { h } from '../dom.js';
import { anyOf, chosen, dayRange, filterForm } from '../filter-form.js';
import { selectField, textField } from '../form/leaf-fields.js';
import { formatCost, formatDateTime, formatDuration } from '../format.js';
import { pagedTable, type Column } from '../paged-table.js';
import { routeHref } from '../route.js';
import { adminView, type StudioContext, type View } from '../studio-context.js';
import { callDetail } from './call-detail.js';

const COLUMNS: readonly Column<Call>[] = [
  {
    label: 'Started',
    cell: (call) =>
      h(
        'a',
        { href: routeHref({ view: 'calls', callId: call.id }) },
        formatDateTime(call.startedAt),
      ),
  },
  { label: 'Persona', cell: (call) => `${call.personaId} v${call.personaVersion}` },
  {
    label: 'Channel',
    cell: (call) => (call.direction ? `${call.channel} (${call.direction})` : call.channel),
  },
  { label: 'Duration', cell: (call) => formatDuration(call.durationMs) },
  { label: 'Outcome', cell: (call) => call.outcome ?? call.status },
  { label: 'Lead', cell: (call) => call.leadTemperature ?? '—' },
  { label: 'Cost', cell: (call) => formatCost(call.costUsd) },
];

/** The filters and the newest-first list of calls, web and phone alike. */
async function callList(context: StudioContext, api: AdminApi): Promise<HTMLElement> {
  const personas = await context.personas();
  let query: CallQuery = {};
  const table = pagedTable({
    caption: 'Calls, newest first',
    columns: COLUMNS,
    empty: 'No calls match these filters.',
    fetchPage: (cursor) => api.listCalls({ ...query, cursor }),
  });
  const filters = filterForm(
    'Filter calls',
    {
      personaId: selectField('Persona', '', anyOf(personas.map((persona) => persona.id))),
      channel: selectField('Channel', '', anyOf(ChannelSchema.options)),
      outcome: selectField('Outcome', '', anyOf(CallOutcomeSchema.options)),
      from: textField('From', undefined, { type: 'date', optional: true }),
      to: textField('To', undefined, { type: 'date', optional: true }),
    },
    (values) => {
      query = {
        personaId: chosen(values['personaId']),
        channel: ChannelSchema.safeParse(values['channel']).data,
        outcome: CallOutcomeSchema.safeParse(values['outcome']).data,
        ...dayRange(values),
      };
      void table.reload();
    },
  );
  void table.reload();
  return h('div', {}, filters, table.element);
}

/** Call history: the list with filters, and one call's transcript, latency, leads and cost. */
export function callsView(context: StudioContext): View {
  return adminView(context, {
    name: 'calls',
    title: 'Call history',
    purpose: 'see the call history',
    page: (api, route) => {
      const callId = route.view === 'calls' ? route.callId : undefined;
      return callId === undefined ? callList(context, api) : callDetail(api, callId);
    },
  });
}
