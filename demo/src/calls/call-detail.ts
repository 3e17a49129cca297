import type { ToolCall, Turn } from '@parley/contracts';
import type { CallEvent, CallLeg, CallWarning } from '@parley/contracts';
import type { AdminApi, CallView } from '../admin-api.js';
import { factList, h, type Child } from '../dom.js';
import { formatCost, formatDateTime, formatDuration } from '../format.js';
import { latencyWaterfall } from '../latency/latency-waterfall.js';
import { dataTable, type Column } from '../paged-table.js';
import { appointmentColumns, leadColumns } from '../records/record-columns.js';
import { routeHref } from '../route.js';

const LEG_COLUMNS: readonly Column<CallLeg>[] = [
  { label: 'Leg', cell: (leg) => leg.kind },
  { label: 'Participant', cell: (leg) => h('code', {}, leg.identity) },
  { label: 'Number', cell: (leg) => leg.phoneNumber ?? '—' },
  { label: 'Direction', cell: (leg) => leg.direction ?? '—' },
  { label: 'Status', cell: (leg) => leg.status ?? '—' },
  { label: 'Started', cell: (leg) => formatDateTime(leg.startedAt) },
  { label: 'Ended', cell: (leg) => formatDateTime(leg.endedAt) },
];

const WARNING_TITLES: Record<CallWarning['code'], string> = {
  narrowband_audio: 'Narrowband audio: speech recognition will be poor',
  transfer_failed: 'Transfer failed',
  callback_offered: 'Callback offered',
};

/** Warnings first thing on the call, an alert for the ones that hurt the conversation. */
function warnings(list: readonly CallWarning[]): HTMLElement | null {
  if (list.length === 0) return null;
  const urgent = list.some((warning) => warning.code !== 'callback_offered');
  return h(
    'section',
    {
      class: 'call-warnings',
      'aria-label': 'Warnings',
      ...(urgent ? { role: 'alert' } : {}),
    },
    ...list.map((warning) =>
      h(
        'p',
        { class: 'call-warning', 'data-code': warning.code },
        h('strong', {}, WARNING_TITLES[warning.code] ?? warning.code),
        ` — ${warning.message}`,
        warning.at ? h('span', { class: 'muted' }, ` (${formatDateTime(warning.at)})`) : null,
      ),
    ),
  );
}

const EVENT_COLUMNS: readonly Column<CallEvent>[] = [
  { label: 'Time', cell: (event) => formatDateTime(event.at) },
  { label: 'Event', cell: (event) => (event.type === 'participant_joined' ? 'joined' : 'left') },
  { label: 'Participant', cell: (event) => h('code', {}, event.identity) },
  { label: 'Kind', cell: (event) => event.kind },
];

function facts(call: CallView): HTMLDListElement {
  const caller = [call.caller.name, call.caller.id, call.caller.phoneNumber]
    .filter(Boolean)
    .join(' · ');
  const rows: [string, Child][] = [
    [
      'Persona',
      h('a', { href: routeHref({ view: 'personas', personaId: call.personaId }) }, call.personaId),
    ],
    ['Persona version', String(call.personaVersion)],
    ['Channel', call.channel],
    ['Status', call.status],
    ...(call.channel === 'phone' || call.direction || call.phoneStatus
      ? ([
          ['Direction', call.direction ?? '—'],
          ['Phone status', call.phoneStatus ?? '—'],
        ] satisfies [string, Child][])
      : []),
    ['Outcome', call.outcome ?? '—'],
    ['Lead temperature', call.leadTemperature ?? '—'],
    ['Cost', formatCost(call.costUsd)],
    ['Started', formatDateTime(call.startedAt)],
    ['Ended', formatDateTime(call.endedAt)],
    ['Duration', formatDuration(call.durationMs)],
    ['Caller', caller || '—'],
    ['Dialed number', call.dialedNumber ?? '—'],
    ['Room', h('code', {}, call.roomName)],
  ];
  const { campaign } = call;
  if (campaign) {
    rows.push([
      'Campaign',
      h(
        'span',
        {},
        h(
          'a',
          { href: routeHref({ view: 'campaigns', campaignId: campaign.campaignId }) },
          campaign.name,
        ),
        ` · attempt ${campaign.attempt}`,
      ),
    ]);
  }
  if (Object.keys(call.variables).length > 0) {
    rows.push(['Variables', h('code', {}, JSON.stringify(call.variables))]);
  }
  return factList(rows);
}

function toolCall(call: ToolCall): HTMLElement {
  const outcome =
    call.error === undefined
      ? h('pre', { class: 'code' }, `→ ${JSON.stringify(call.result ?? null, null, 2)}`)
      : h('p', { class: 'error-line' }, `failed: ${call.error}`);
  return h(
    'li',
    { class: 'tool-call' },
    h('span', { class: 'tool-name' }, `Tool ${call.name}`),
    h('pre', { class: 'code' }, JSON.stringify(call.args, null, 2)),
    outcome,
  );
}

function turnItem(turn: Turn): HTMLLIElement {
  return h(
    'li',
    { class: 'turn' },
    h('p', { class: 'turn-title' }, `Turn ${turn.seq}`),
    turn.userText === undefined
      ? null
      : h(
          'p',
          { class: 'line line-user' },
          h('span', { class: 'speaker' }, 'Caller'),
          ` ${turn.userText}`,
        ),
    turn.dtmf === undefined
      ? null
      : h(
          'p',
          { class: 'line line-user line-dtmf' },
          h('span', { class: 'speaker' }, 'Keypad'),
          ' ',
          h('kbd', {}, turn.dtmf),
        ),
    turn.toolCalls.length > 0
      ? h('ul', { class: 'tool-calls' }, ...turn.toolCalls.map(toolCall))
      : null,
    turn.agentText === undefined
      ? null
      : h(
          'p',
          { class: 'line line-agent' },
          h('span', { class: 'speaker' }, 'Agent'),
          ` ${turn.agentText}`,
          turn.interrupted ? h('em', {}, ' (interrupted)') : null,
        ),
  );
}

function part(title: string, ...content: Child[]): HTMLElement {
  const id = `call-${title.toLowerCase().replaceAll(' ', '-')}`;
  return h(
    'section',
    { class: 'call-part', 'aria-labelledby': id },
    h('h4', { id }, title),
    ...content,
  );
}

/** One call: facts and cost, the transcript with tool calls, latency per turn, leads, bookings. */
export async function callDetail(api: AdminApi, callId: string): Promise<HTMLElement> {
  const call = await api.getCall(callId);
  return h(
    'article',
    { class: 'call-detail' },
    h('p', {}, h('a', { href: routeHref({ view: 'calls' }) }, '← All calls')),
    h('h3', {}, `Call of ${formatDateTime(call.startedAt)}`),
    warnings(call.warnings ?? []),
    call.summary ? h('p', { class: 'summary' }, call.summary) : null,
    facts(call),
    call.legs && call.legs.length > 0
      ? part('Legs', dataTable('Who was on the call', LEG_COLUMNS, call.legs))
      : null,
    part(
      'Transcript',
      call.turns.length > 0
        ? h('ol', { class: 'turns' }, ...call.turns.map(turnItem))
        : h('p', { class: 'muted' }, 'No turns recorded.'),
    ),
    part('Latency per turn', latencyWaterfall(call.turns)),
    call.leads && call.leads.length > 0
      ? part('Leads', dataTable('Leads captured in this call', leadColumns(false), call.leads))
      : null,
    call.appointments && call.appointments.length > 0
      ? part(
          'Appointments',
          dataTable(
            'Appointments booked in this call',
            appointmentColumns(false),
            call.appointments,
          ),
        )
      : null,
    call.consent
      ? part(
          'Consent',
          h(
            'p',
            {},
            `Accepted version ${call.consent.textVersion} on ${formatDateTime(call.consent.acceptedAt)}`,
            call.consent.text ? `: “${call.consent.text}”` : '.',
          ),
        )
      : null,
    call.events && call.events.length > 0
      ? part(
          'Room events',
          dataTable('Participants joining and leaving', EVENT_COLUMNS, call.events),
        )
      : null,
  );
}
