import {
  ScheduledCallInputSchema,
  type OutboundTrunk,
  type Persona,
  type ScheduledCall,
} from '@parley/contracts';
import { adminForm, adminSection, removableTable } from '../admin-section.js';
import { h } from '../dom.js';
import { textField } from '../form/leaf-fields.js';
import { formatDateTime, localDateTimeIso, localDateTimeValue } from '../format.js';
import type { Column } from '../paged-table.js';
import {
  personaField,
  trunkField,
  variablesField,
  withoutEmptyChoices,
} from '../phone/outbound-call-fields.js';
import { callLink } from '../records/record-columns.js';
import { adminView, type StudioContext, type View } from '../studio-context.js';
import { CampaignApi } from './campaign-api.js';

const COLUMNS: readonly Column<ScheduledCall>[] = [
  { label: 'When', cell: (call) => formatDateTime(call.at) },
  { label: 'Kind', cell: (call) => call.kind },
  { label: 'Persona', cell: (call) => call.personaId },
  { label: 'Number', cell: (call) => call.to },
  { label: 'Status', cell: (call) => call.status },
  { label: 'Call', cell: (call) => callLink(call.callId) },
  { label: 'Error', cell: (call) => (call.error ? h('code', {}, call.error) : '—') },
];

function describeCall(call: { to: string; at: string }): string {
  return `call to ${call.to} at ${formatDateTime(call.at)}`;
}

/** The calls waiting for their time and those done, with Cancel; a form to schedule one. */
function scheduledCalls(
  api: CampaignApi,
  personas: readonly Persona[],
  trunks: readonly OutboundTrunk[],
  report: (message: string | Node) => void,
) {
  const anHourFromNow = new Date(Date.now() + 3600_000);
  const form = adminForm({
    label: 'Schedule a call',
    submitLabel: 'Schedule call',
    fields: {
      persona: personaField(personas),
      to: textField('Number to call', undefined, { placeholder: '+14155550123' }),
      at: textField('When', localDateTimeValue(anHourFromNow), {
        type: 'datetime-local',
        hint: 'In this browser’s time zone; a time already past dials at once.',
      }),
      trunk: trunkField(trunks),
      variables: variablesField(),
    },
    schema: ScheduledCallInputSchema,
    prepare: (values) => {
      const at = typeof values['at'] === 'string' ? values['at'] : '';
      return { ...withoutEmptyChoices(values), at: localDateTimeIso(at) ?? at };
    },
    submit: async (input) => {
      const scheduled = await api.scheduleCall(input);
      await section.reload();
      return `Scheduled the ${describeCall(scheduled)}.`;
    },
  });
  const section = adminSection({
    title: 'Calls at a given time',
    hint: 'The next due first, then those done. Each is dialled once when its time comes, after the same checks as “Call a number”; callbacks the agent promised and appointment reminders are listed here too.',
    forms: [h('h4', {}, 'Schedule a call'), form],
    load: async () =>
      removableTable<ScheduledCall>({
        caption: 'Scheduled calls, the next due first',
        items: await api.scheduledCalls(),
        empty: 'No call is scheduled.',
        columns: COLUMNS,
        name: describeCall,
        removeLabel: 'Cancel',
        removable: (call) => call.status === 'scheduled',
        remove: async (call) => {
          await api.cancelScheduledCall(call.id);
          await section.reload();
        },
        report,
      }),
  });
  return section;
}

/** Scheduled calls: single outbound calls placed at a given time (`/v1/scheduled-calls`). */
export function scheduledCallsView(context: StudioContext): View {
  return adminView(context, {
    name: 'scheduled-calls',
    title: 'Scheduled calls',
    purpose: 'schedule calls',
    page: async (api) => {
      const [personas, trunks] = await Promise.all([context.personas(), api.listOutboundTrunks()]);
      // cancellations report here: their buttons go away with the table they were in
      const outcome = h('div', { class: 'status-line', role: 'status' });
      const report = (message: string | Node) => outcome.replaceChildren(message);
      const section = scheduledCalls(new CampaignApi(api), personas, trunks, report);
      const refresh = h('button', { type: 'button', class: 'secondary' }, 'Refresh');
      refresh.addEventListener('click', () => {
        void section.reload().then(() => report('The scheduled calls are up to date.'));
      });
      void section.reload();
      return h('div', {}, h('div', { class: 'form-actions' }, refresh), outcome, section.element);
    },
  });
}
