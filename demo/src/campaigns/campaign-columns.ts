import type { Campaign } from '@parley/contracts';
import { h } from '../dom.js';
import { formatCost } from '../format.js';
import type { Column } from '../paged-table.js';
import { describeLeads, describeProgress, formatMinutes, progressOf } from './campaign-summary.js';

/** The status as a badge; the word says it, the colour only repeats it. */
export function statusBadge(campaign: Campaign): HTMLElement {
  return h('span', { class: 'campaign-status', 'data-status': campaign.status }, campaign.status);
}

/** A bar of the contacts done, for the eye (the words beside it say the same). */
function progressCell(campaign: Campaign): HTMLElement {
  const { done, total } = progressOf(campaign.stats);
  return h(
    'div',
    { class: 'campaign-progress' },
    h('progress', { max: Math.max(total, 1), value: done, 'aria-hidden': 'true' }),
    h('span', {}, describeProgress(campaign.stats)),
  );
}

/** How far a campaign has come and what it brought: the list's columns, the campaign's facts. */
export const PROGRESS_COLUMNS: readonly Column<Campaign>[] = [
  { label: 'Status', cell: statusBadge },
  { label: 'Progress', cell: progressCell },
  { label: 'Attempts', cell: (campaign) => campaign.stats.attempts },
  { label: 'Answered', cell: (campaign) => campaign.stats.answered },
  { label: 'Leads', cell: (campaign) => describeLeads(campaign.stats.leads) },
  { label: 'Appointments', cell: (campaign) => campaign.stats.appointmentsBooked },
  { label: 'Minutes', cell: (campaign) => formatMinutes(campaign.stats.minutes) },
  { label: 'Cost', cell: (campaign) => formatCost(campaign.stats.costUsd) },
];
