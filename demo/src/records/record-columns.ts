import type { Appointment, Lead } from '@parley/contracts';
import { h } from '../dom.js';
import { formatDateTime } from '../format.js';
import type { Column } from '../paged-table.js';
import { routeHref } from '../route.js';

/** "Open call", to the call's record; `—` when there is none (yet). */
export function callLink(callId: string | undefined) {
  return callId === undefined
    ? '—'
    : h('a', { href: routeHref({ view: 'calls', callId }) }, 'Open call');
}

/** The lead score the agent stored with the lead (`data.score`), when there is one. */
function score(lead: Lead): string {
  const value = lead.data['score'];
  return typeof value === 'number' ? String(value) : '—';
}

/** Columns of a leads table; `withCall` adds a link to the call each lead came from. */
export function leadColumns(withCall: boolean): Column<Lead>[] {
  const columns: Column<Lead>[] = [
    { label: 'Captured', cell: (lead) => formatDateTime(lead.createdAt) },
    { label: 'Name', cell: (lead) => lead.name ?? '—' },
    { label: 'Email', cell: (lead) => lead.email ?? '—' },
    { label: 'Phone', cell: (lead) => lead.phone ?? '—' },
    { label: 'Company', cell: (lead) => lead.company ?? '—' },
    { label: 'Need', cell: (lead) => lead.notes ?? '—' },
    { label: 'Temperature', cell: (lead) => lead.temperature ?? '—' },
    { label: 'Score', cell: score },
  ];
  return withCall
    ? [...columns, { label: 'Call', cell: (lead) => callLink(lead.callId) }]
    : columns;
}

/** Columns of an appointments table; `withCall` adds a link to the call that booked it. */
export function appointmentColumns(withCall: boolean): Column<Appointment>[] {
  const columns: Column<Appointment>[] = [
    { label: 'Starts', cell: (appointment) => formatDateTime(appointment.startsAt) },
    { label: 'Ends', cell: (appointment) => formatDateTime(appointment.endsAt) },
    { label: 'Name', cell: (appointment) => appointment.name },
    {
      label: 'Contact',
      cell: (appointment) =>
        [appointment.email, appointment.phone].filter(Boolean).join(', ') || '—',
    },
    { label: 'Notes', cell: (appointment) => appointment.notes ?? '—' },
    { label: 'Status', cell: (appointment) => appointment.status },
  ];
  return withCall
    ? [...columns, { label: 'Call', cell: (appointment) => callLink(appointment.callId) }]
    : columns;
}
