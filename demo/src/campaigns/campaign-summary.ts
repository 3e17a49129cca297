/**
 * How the studio tells a campaign's state in words: which actions its status allows, how far it
 * has come, its retry policy and calling window. Pure, so it is tested without a page.
 */
import type {
  CallingWindow,
  CampaignAction,
  CampaignStats,
  CampaignStatus,
  ContactStatus,
  RetryPolicy,
} from '@parley/contracts';

/** What the admin may do in each status (the server refuses the rest with `conflict`). */
const ACTIONS: Record<CampaignStatus, readonly CampaignAction[]> = {
  draft: ['start', 'cancel'],
  running: ['pause', 'cancel'],
  paused: ['resume', 'cancel'],
  cancelled: [],
  completed: [],
};

export function actionsFor(status: CampaignStatus): readonly CampaignAction[] {
  return ACTIONS[status];
}

/** What the action's button says, and what the status line says once it is done. */
export const ACTION_WORDS: Record<CampaignAction, { label: string; done: string }> = {
  start: { label: 'Start', done: 'started' },
  pause: { label: 'Pause', done: 'paused' },
  resume: { label: 'Resume', done: 'resumed' },
  cancel: { label: 'Cancel', done: 'cancelled' },
};

/** Contacts that will not be called again: answered, out of attempts, or left out. */
const FINISHED: readonly ContactStatus[] = ['completed', 'exhausted', 'skipped'];

/** Contact statuses in the order a contact goes through them, for the breakdown. */
const STATUS_ORDER: readonly ContactStatus[] = [
  'pending',
  'calling',
  'retry_scheduled',
  'completed',
  'exhausted',
  'skipped',
];

export interface Progress {
  done: number;
  total: number;
}

export function progressOf(stats: CampaignStats): Progress {
  const done = FINISHED.reduce((sum, status) => sum + (stats.byStatus[status] ?? 0), 0);
  return { done, total: stats.contacts };
}

/** `3 of 10 contacts done`, with those being called now. */
export function describeProgress(stats: CampaignStats): string {
  const { done, total } = progressOf(stats);
  const calling = stats.byStatus.calling ?? 0;
  const words = `${done} of ${total} contact${total === 1 ? '' : 's'} done`;
  return calling > 0 ? `${words}, ${calling} calling` : words;
}

/** `pending 2 · calling 1 · skipped 1`: the statuses that have contacts, in their order. */
export function describeStatuses(stats: CampaignStats): string {
  const parts = STATUS_ORDER.filter((status) => (stats.byStatus[status] ?? 0) > 0).map(
    (status) => `${status.replace('_', ' ')} ${stats.byStatus[status] ?? 0}`,
  );
  return parts.length > 0 ? parts.join(' · ') : 'no contacts';
}

export function describeLeads(leads: CampaignStats['leads']): string {
  return `${leads.hot} hot · ${leads.warm} warm · ${leads.cold} cold`;
}

/** Minutes to the tenth: campaign calls are counted in minutes, as carriers bill them. */
export function formatMinutes(minutes: number): string {
  return `${minutes.toFixed(1)} min`;
}

/** `45 s`, `1 h`, `1 h 30 min`, `2 d`: a wait in days, hours, minutes and seconds. */
export function describeWait(seconds: number): string {
  const units: [string, number][] = [
    ['d', 86_400],
    ['h', 3600],
    ['min', 60],
    ['s', 1],
  ];
  const parts: string[] = [];
  let left = Math.round(seconds);
  for (const [unit, size] of units) {
    const count = Math.floor(left / size);
    if (count > 0) parts.push(`${count} ${unit}`);
    left -= count * size;
  }
  return parts.length > 0 ? parts.join(' ') : '0 s';
}

/** `no answer or busy: again after 1 h, 3 attempts at most`. */
export function describeRetry(retry: RetryPolicy): string {
  const attempts = `${retry.maxAttempts} attempt${retry.maxAttempts === 1 ? '' : 's'} at most`;
  if (retry.retryOn.length === 0 || retry.maxAttempts <= 1) return `no retries (${attempts})`;
  const outcomes = retry.retryOn.map((outcome) => outcome.replace('_', ' ')).join(' or ');
  return `${outcomes}: again after ${describeWait(retry.retryAfterSeconds)}, ${attempts}`;
}

/** `Mon 09:00–12:00, Tue 14:00–18:00 (Europe/Paris)`; unset, the persona's hours apply. */
export function describeWindow(window: CallingWindow | undefined): string {
  if (!window) return 'the persona’s calling hours (else its business hours, else any time)';
  const spans = window.weekly.map(
    (span) => `${span.day.charAt(0).toUpperCase()}${span.day.slice(1)} ${span.open}–${span.close}`,
  );
  return `${spans.join(', ')} (${window.timeZone})`;
}

/** `2 contacts added, 1 already in the campaign left out`. */
export function describeAdded({
  added,
  duplicates,
}: {
  added: number;
  duplicates: number;
}): string {
  const words = `${added} contact${added === 1 ? '' : 's'} added`;
  return duplicates > 0 ? `${words}, ${duplicates} already in the campaign left out` : words;
}
