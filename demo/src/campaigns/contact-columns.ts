import type { CampaignContact, SkipReason } from '@parley/contracts';
import { h, type Child } from '../dom.js';
import { formatDateTime } from '../format.js';
import type { Column } from '../paged-table.js';
import { routeHref } from '../route.js';

const SKIP_REASONS: Record<SkipReason, string> = {
  do_not_call: 'on the do-not-call list',
  destination_not_allowed: 'not allowed by the dial policy',
  opted_out: 'asked not to be called',
  cancelled: 'the campaign was cancelled',
  duplicate: 'a duplicate number',
};

function skipReason(contact: CampaignContact): Child {
  const reason = contact.skipReason;
  if (reason === undefined) return '—';
  return h('span', {}, `${SKIP_REASONS[reason] ?? reason} `, h('code', {}, reason));
}

/** Each attempt, linked to its call record: "Attempt 2: busy", and when it began. */
function attempts(contact: CampaignContact): Child {
  if (contact.attempts.length === 0) return '—';
  return h(
    'ol',
    { class: 'attempts' },
    ...contact.attempts.map((attempt) =>
      h(
        'li',
        {},
        h(
          'a',
          { href: routeHref({ view: 'calls', callId: attempt.callId }) },
          `Attempt ${attempt.attempt}: ${attempt.outcome?.replace('_', ' ') ?? 'in progress'}`,
        ),
        h('span', { class: 'muted' }, ` ${formatDateTime(attempt.startedAt)}`),
      ),
    ),
  );
}

function variables(contact: CampaignContact): Child {
  const entries = Object.entries(contact.variables);
  if (entries.length === 0) return '—';
  return h('code', {}, entries.map(([name, value]) => `${name}=${String(value)}`).join(', '));
}

/** A campaign's contacts: who, how each stands, every attempt with its call, what comes next. */
export const CONTACT_COLUMNS: readonly Column<CampaignContact>[] = [
  { label: 'Name', cell: (contact) => contact.name ?? '—' },
  { label: 'Number', cell: (contact) => contact.number },
  { label: 'Status', cell: (contact) => contact.status.replace('_', ' ') },
  { label: 'Skipped because', cell: skipReason },
  { label: 'Attempts', cell: attempts },
  { label: 'Next attempt', cell: (contact) => formatDateTime(contact.nextAttemptAt) },
  {
    label: 'Outcome',
    cell: (contact) =>
      [contact.lastOutcome?.replace('_', ' '), contact.callOutcome].filter(Boolean).join(' · ') ||
      '—',
  },
  { label: 'Variables', cell: variables },
];
