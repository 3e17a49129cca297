import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CampaignStats, CampaignStatus } from '@parley/contracts';
import {
  actionsFor,
  describeAdded,
  describeProgress,
  describeRetry,
  describeStatuses,
  describeWait,
  describeWindow,
  progressOf,
} from './campaign-summary.js';

function stats(byStatus: CampaignStats['byStatus']): CampaignStats {
  const contacts = Object.values(byStatus).reduce((sum, n) => sum + (n ?? 0), 0);
  return {
    contacts,
    byStatus,
    attempts: 0,
    answered: 0,
    leads: { hot: 0, warm: 0, cold: 0 },
    appointmentsBooked: 0,
    minutes: 0,
    costUsd: 0,
  };
}

test('each status offers the actions the server allows from it, and an ended campaign none', () => {
  const offered: Record<CampaignStatus, readonly string[]> = {
    draft: ['start', 'cancel'],
    running: ['pause', 'cancel'],
    paused: ['resume', 'cancel'],
    cancelled: [],
    completed: [],
  };
  for (const [status, actions] of Object.entries(offered)) {
    assert.deepEqual(actionsFor(status as CampaignStatus), actions, status);
  }
});

test('a contact is done once answered, out of attempts or skipped; waiting and calling ones are not', () => {
  const progress = stats({
    pending: 2,
    calling: 1,
    retry_scheduled: 1,
    completed: 3,
    exhausted: 1,
    skipped: 2,
  });
  assert.deepEqual(progressOf(progress), { done: 6, total: 10 });
  assert.equal(describeProgress(progress), '6 of 10 contacts done, 1 calling');
  assert.equal(
    describeStatuses(progress),
    'pending 2 · calling 1 · retry scheduled 1 · completed 3 · exhausted 1 · skipped 2',
  );
  assert.equal(describeProgress(stats({ pending: 1 })), '0 of 1 contact done');
  assert.equal(describeStatuses(stats({})), 'no contacts');
});

test('waits read in days, hours, minutes and seconds, leaving out the empty units', () => {
  assert.equal(describeWait(45), '45 s');
  assert.equal(describeWait(3600), '1 h');
  assert.equal(describeWait(5400), '1 h 30 min');
  assert.equal(describeWait(2 * 86_400 + 5), '2 d 5 s');
});

test('the retry policy says after what, how long, and how many attempts at most', () => {
  assert.equal(
    describeRetry({ retryOn: ['no_answer', 'busy'], retryAfterSeconds: 3600, maxAttempts: 3 }),
    'no answer or busy: again after 1 h, 3 attempts at most',
  );
  assert.equal(
    describeRetry({ retryOn: ['failed'], retryAfterSeconds: 60, maxAttempts: 1 }),
    'no retries (1 attempt at most)',
  );
  assert.equal(
    describeRetry({ retryOn: [], retryAfterSeconds: 60, maxAttempts: 3 }),
    'no retries (3 attempts at most)',
  );
});

test('a calling window lists its spans in its time zone; without one the persona’s hours apply', () => {
  assert.equal(
    describeWindow({
      timeZone: 'Europe/Paris',
      weekly: [
        { day: 'mon', open: '09:00', close: '12:00' },
        { day: 'tue', open: '14:00', close: '18:00' },
      ],
    }),
    'Mon 09:00–12:00, Tue 14:00–18:00 (Europe/Paris)',
  );
  assert.match(describeWindow(undefined), /^the persona’s calling hours/);
});

test('added contacts are counted, and the numbers already in the campaign said apart', () => {
  assert.equal(describeAdded({ added: 1, duplicates: 0 }), '1 contact added');
  assert.equal(
    describeAdded({ added: 2, duplicates: 1 }),
    '2 contacts added, 1 already in the campaign left out',
  );
});
