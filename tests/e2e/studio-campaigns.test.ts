/**
 * The studio's campaigns and scheduled calls in Chromium against the real stack: a campaign made
 * through the form with its contacts pasted as CSV (and more read from a .csv file), its draft
 * and contacts, start, pause, resume and cancel from the keyboard, the scheduler skipping a number
 * on the do-not-call list, and a call scheduled, refused and cancelled. Nothing here dials: the
 * campaign's calling window is on another day, and the scheduled call is days away.
 */
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type {
  Campaign,
  CampaignContact,
  DialPolicy,
  ScheduledCall,
  Weekday,
} from '@parley/contracts';
import { openStudio } from '../support/browser.js';
import { admin, eventually, putPersona } from '../support/calls.js';
import { personaOf, testStack, type TestStack } from '../support/stack-env.js';
import { axeViolations } from '../support/widget-page.js';

const SCREENSHOTS = path.resolve(import.meta.dirname, '../artifacts/screenshots');
/** Unique per run: the suite may share a stack (and its database) with earlier runs. */
const RUN = Date.now().toString(36);
const PERSONA_ID = `studio-campaigns-${RUN}`;
const DIGITS = String(Date.now() % 1_000_000).padStart(6, '0');
/** The prefix the dial policy allows for this suite. */
const PREFIX = '+1559';
const ADA = `${PREFIX}${DIGITS}1`;
const GRACE = `${PREFIX}${DIGITS}2`;
const ALAN = `${PREFIX}${DIGITS}3`;
const SCHEDULED = `${PREFIX}${DIGITS}5`;
const DO_NOT_CALL = `${PREFIX}${DIGITS}9`;
/** A destination the dial policy does not allow. */
const ABROAD = `+4420${DIGITS}7`;
const CAMPAIGN = `Spring check-in ${RUN}`;
const WEEKDAYS: Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
/** A calling window on a day three days from today (UTC): the campaign never dials in the suite. */
const WINDOW_DAY = WEEKDAYS[(new Date().getUTCDay() + 3) % 7] ?? 'mon';

let stack: TestStack;
let browser: Browser;
let page: Page;
let policyBefore: DialPolicy;
let campaignId = '';

before(async () => {
  stack = await testStack();
  const base = await personaOf(stack);
  // no business hours: they would be its calling hours, and the suite may run on a Sunday
  await putPersona(stack, {
    ...base,
    id: PERSONA_ID,
    name: 'Studio campaigns',
    businessHours: undefined,
    phone: { ...base.phone, callingHours: undefined },
  });
  policyBefore = await admin<DialPolicy>(stack, '/v1/dial-policy');
  await admin(stack, '/v1/dial-policy', {
    method: 'PUT',
    body: JSON.stringify({
      allowedPrefixes: [...new Set([...policyBefore.allowedPrefixes, PREFIX])],
      maxConcurrentPhoneCalls: Math.max(policyBefore.maxConcurrentPhoneCalls, 1),
    }),
  });
  await admin(stack, `/v1/do-not-call/${encodeURIComponent(DO_NOT_CALL)}`, {
    method: 'PUT',
    body: JSON.stringify({ reason: 'asked us not to call' }),
  });
  await mkdir(SCREENSHOTS, { recursive: true });
  ({ browser, page } = await openStudio(stack.url, stack.secrets.adminKey));
});

after(async () => {
  await browser?.close();
  if (stack) {
    await admin(stack, '/v1/dial-policy', { method: 'PUT', body: JSON.stringify(policyBefore) });
    await fetch(`${stack.url}/v1/do-not-call/${encodeURIComponent(DO_NOT_CALL)}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${stack.secrets.adminKey}` },
    });
    await stack.release();
  }
});

function campaignsView() {
  return page.locator('#view-campaigns');
}

function scheduledView() {
  return page.locator('#view-scheduled-calls');
}

/** Opens `place` afresh: going to the address already shown would not load the view again. */
async function open(place: string, heading: string): Promise<void> {
  await page.goto(`${stack.url}/#/${place}`);
  await page.reload();
  await page.getByRole('heading', { level: 2, name: heading }).waitFor();
}

async function assertAccessible(where: string): Promise<void> {
  const violations = await axeViolations(page, 'body');
  assert.deepEqual(violations, [], `axe found problems in ${where}:\n${violations.join('\n')}`);
}

/** The accessible name of the focused element: where the keyboard is. */
function focusedName(): Promise<string | null> {
  return page.evaluate(() => {
    const focused = document.activeElement;
    return focused?.getAttribute('aria-label') ?? focused?.textContent ?? null;
  });
}

/** The focused element shows where it is (the studio's focus ring). */
async function assertFocusVisible(): Promise<void> {
  const ring = await page.evaluate(() =>
    document.activeElement ? getComputedStyle(document.activeElement).boxShadow : 'none',
  );
  assert.notEqual(ring, 'none', 'the focused control has a visible focus ring');
}

function cells(text: string): string[] {
  return text.split('\t').map((cell) => cell.trim());
}

describe('the studio’s campaigns in Chromium', () => {
  test('a campaign is made through the form with its contacts pasted as CSV: a draft with its settings and its contacts', async () => {
    await open('campaigns', 'Campaigns');
    await campaignsView().getByRole('link', { name: 'New campaign' }).click();
    const form = campaignsView().getByRole('form', { name: 'New campaign' });
    await form.waitFor();

    // what the server would refuse is stopped in the page, beside its field
    await form.getByLabel('Contacts (CSV)').fill(`Number,Name\n${ADA},Ada`);
    await form.getByRole('button', { name: 'Create draft' }).click();
    await form.getByText('in lower case').waitFor();
    assert.equal(
      await form.getByLabel('Name', { exact: true }).getAttribute('aria-invalid'),
      'true',
    );
    assert.equal(await form.getByLabel('Contacts (CSV)').getAttribute('aria-invalid'), 'true');

    await form.getByLabel('Name', { exact: true }).fill(CAMPAIGN);
    await form.getByLabel('Persona', { exact: true }).selectOption(PERSONA_ID);
    await form.getByLabel('Most calls at once').fill('2');
    await form.getByLabel('Wait before the next attempt (s)').fill('600');
    await form.getByLabel('Attempts per contact').fill('2');
    await form.getByLabel('Its own calling window').check();
    await form.getByLabel('Time zone').fill('UTC');
    for (let left = 5; left > 1; left--) {
      await form.getByRole('button', { name: 'Remove calling span 2' }).click();
    }
    const span = form.getByRole('group', { name: 'Calling span 1' });
    await span.getByLabel('Day').selectOption(WINDOW_DAY);
    await span.getByLabel('From').fill('09:00');
    await span.getByLabel('To').fill('10:00');
    await page.screenshot({
      path: path.join(SCREENSHOTS, 'studio-campaign-form.png'),
      fullPage: true,
    });
    await form
      .getByLabel('Contacts (CSV)')
      .fill(
        `number,name,plan\n${ADA},Ada Lovelace,gold\n${GRACE},Grace Hopper,silver\n${ADA},Ada again,gold\n`,
      );
    // sent from the keyboard
    await form.getByRole('button', { name: 'Create draft' }).focus();
    await page.keyboard.press('Enter');

    await page.waitForURL(/#\/campaigns\/cmp_/);
    campaignId = decodeURIComponent(page.url().split('/').pop() ?? '');
    await campaignsView()
      .getByRole('status')
      .filter({
        hasText: `Draft “${CAMPAIGN}” created: 2 contacts added, 1 already in the campaign left out.`,
      })
      .waitFor();
    const detail = campaignsView().locator('article.campaign-detail');
    await detail.getByRole('heading', { level: 3, name: CAMPAIGN }).waitFor();
    const facts = await detail.locator('dl.facts').innerText();
    for (const fact of [
      /Status\s+draft/,
      /Progress\s+0 of 2 contacts done/,
      /Contacts\s+pending 2/,
      new RegExp(
        `Calling window\\s+${WINDOW_DAY.charAt(0).toUpperCase()}${WINDOW_DAY.slice(1)} 09:00–10:00 \\(UTC\\)`,
      ),
      /Retries\s+no answer or busy: again after 10 min, 2 attempts at most/,
      /Most calls at once\s+2/,
    ]) {
      assert.match(facts, fact);
    }
    const contacts = detail.getByRole('table', { name: 'Contacts, in the order they were added' });
    const ada = contacts.getByRole('row').filter({ hasText: ADA });
    assert.deepEqual(cells(await ada.innerText()).slice(0, 3), ['Ada Lovelace', ADA, 'pending']);
    assert.match(await ada.innerText(), /plan=gold/);

    const stored = await admin<Campaign>(stack, `/v1/campaigns/${campaignId}`);
    assert.deepEqual(
      [stored.name, stored.personaId, stored.status, stored.maxConcurrentCalls, stored.retry],
      [
        CAMPAIGN,
        PERSONA_ID,
        'draft',
        2,
        { retryOn: ['no_answer', 'busy'], retryAfterSeconds: 600, maxAttempts: 2 },
      ],
    );
    assert.deepEqual(stored.callingWindow, {
      timeZone: 'UTC',
      weekly: [{ day: WINDOW_DAY, open: '09:00', close: '10:00' }],
    });

    // more contacts, read from a .csv file into the box, then sent as text/csv
    const add = detail.getByRole('form', { name: 'Add contacts' });
    await add.getByLabel('Or read a .csv file').setInputFiles({
      name: 'more-contacts.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`phone,name,plan\n${ALAN},Alan Turing,bronze\n`),
    });
    await add.getByText('Read more-contacts.csv into the box above').waitFor();
    assert.match(await add.getByLabel('Contacts (CSV)').inputValue(), new RegExp(`\\${ALAN}`));
    await add.getByRole('button', { name: 'Add contacts' }).click();
    await add.getByRole('status').filter({ hasText: '1 contact added.' }).waitFor();
    await contacts.getByRole('row').filter({ hasText: 'Alan Turing' }).waitFor();
    const listed = await admin<{ data: CampaignContact[] }>(
      stack,
      `/v1/campaigns/${campaignId}/contacts`,
    );
    assert.deepEqual(
      listed.data.map((contact) => [contact.name, contact.number, contact.variables['plan']]),
      [
        ['Ada Lovelace', ADA, 'gold'],
        ['Grace Hopper', GRACE, 'silver'],
        ['Alan Turing', ALAN, 'bronze'],
      ],
    );
    await page.screenshot({
      path: path.join(SCREENSHOTS, 'studio-campaign.png'),
      fullPage: true,
    });
    await assertAccessible('a draft campaign');
  });

  test('the list shows the draft and its progress; start, pause, resume and cancel from the keyboard change the status shown', async () => {
    assert.ok(campaignId, 'the campaign of the previous test');
    await open('campaigns', 'Campaigns');
    const row = campaignsView()
      .getByRole('table', { name: 'Campaigns, newest first' })
      .getByRole('row')
      .filter({ hasText: CAMPAIGN });
    assert.deepEqual(cells(await row.innerText()).slice(0, 4), [
      CAMPAIGN,
      PERSONA_ID,
      'draft',
      '0 of 3 contacts done',
    ]);
    await page.screenshot({
      path: path.join(SCREENSHOTS, 'studio-campaigns.png'),
      fullPage: true,
    });
    await assertAccessible('the campaign list');

    const press = async (button: string, key: 'Enter' | 'Space', next: string) => {
      await row.getByRole('button', { name: `${button} ${CAMPAIGN}` }).focus();
      await page.keyboard.press(key);
      await campaignsView()
        .getByRole('status')
        .filter({ hasText: `Campaign “${CAMPAIGN}” ` })
        .filter({ hasText: `(${next}).` })
        .waitFor();
      await row.locator('.campaign-status', { hasText: next }).waitFor();
    };
    await press('Start', 'Enter', 'running');
    // the keyboard stays with the campaign: on its next action
    assert.equal(await focusedName(), `Pause ${CAMPAIGN}`);
    await assertFocusVisible();
    await press('Pause', 'Enter', 'paused');
    assert.equal(await focusedName(), `Resume ${CAMPAIGN}`);

    // resumed elsewhere meanwhile: the page's Resume is refused with the server's reason, and
    // the row then shows the campaign as it is
    await admin(stack, `/v1/campaigns/${campaignId}/resume`, { method: 'POST' });
    await page.keyboard.press('Enter');
    await campaignsView()
      .getByRole('alert')
      .filter({ hasText: /^conflict: campaign '.+' is running: it cannot resume$/ })
      .waitFor();
    await row.locator('.campaign-status', { hasText: 'running' }).waitFor();
    assert.equal(await focusedName(), `Pause ${CAMPAIGN}`);
    await press('Pause', 'Enter', 'paused');
    await press('Resume', 'Space', 'running');
    assert.equal((await admin<Campaign>(stack, `/v1/campaigns/${campaignId}`)).status, 'running');

    // cancelling cannot be undone: it is asked first, and a "no" changes nothing
    page.once('dialog', (dialog) => void dialog.dismiss());
    await row.getByRole('button', { name: `Cancel ${CAMPAIGN}` }).click();
    assert.equal((await admin<Campaign>(stack, `/v1/campaigns/${campaignId}`)).status, 'running');
    page.once('dialog', (dialog) => {
      assert.match(dialog.message(), /cannot be started again/);
      void dialog.accept();
    });
    await press('Cancel', 'Enter', 'cancelled');
    assert.equal(await row.getByRole('button').count(), 0, 'an ended campaign has no actions');
    assert.equal(await focusedName(), CAMPAIGN, 'focus on the campaign’s link');

    await row.getByRole('link', { name: CAMPAIGN }).click();
    const detail = campaignsView().locator('article.campaign-detail');
    const contacts = detail.getByRole('table', { name: 'Contacts, in the order they were added' });
    await contacts.waitFor();
    for (const number of [ADA, GRACE, ALAN]) {
      const contact = contacts.getByRole('row').filter({ hasText: number });
      assert.match(await contact.innerText(), /skipped\s+the campaign was cancelled cancelled/);
    }
    assert.equal(await detail.getByRole('form', { name: 'Add contacts' }).isVisible(), false);
    const stored = await admin<Campaign>(stack, `/v1/campaigns/${campaignId}`);
    assert.deepEqual([stored.status, stored.stats.attempts], ['cancelled', 0]);
  });

  test('once started, a number on the do-not-call list and one the dial policy does not allow are shown skipped, and the campaign completed', async () => {
    const name = `Skips ${RUN}`;
    const created = await admin<Campaign>(stack, '/v1/campaigns', {
      method: 'POST',
      body: JSON.stringify({
        name,
        persona: PERSONA_ID,
        contacts: [
          { name: 'Do not call', number: DO_NOT_CALL },
          { name: 'Abroad', number: ABROAD },
        ],
      }),
    });
    await open(`campaigns/${encodeURIComponent(created.id)}`, 'Campaigns');
    const detail = campaignsView().locator('article.campaign-detail');
    await detail.getByRole('button', { name: `Start ${name}` }).click();
    await campaignsView()
      .getByRole('status')
      .filter({ hasText: `Campaign “${name}” started (running).` })
      .waitFor();
    await eventually(
      'the scheduler to skip both contacts and complete the campaign',
      () => admin<Campaign>(stack, `/v1/campaigns/${created.id}`),
      (campaign) => campaign.status === 'completed',
      20_000,
    );
    await detail.getByRole('button', { name: 'Refresh' }).click();
    await detail.locator('.campaign-status', { hasText: 'completed' }).waitFor();
    assert.match(await detail.locator('dl.facts').innerText(), /Progress\s+2 of 2 contacts done/);
    const contacts = detail.getByRole('table', { name: 'Contacts, in the order they were added' });
    assert.match(
      await contacts.getByRole('row').filter({ hasText: DO_NOT_CALL }).innerText(),
      /skipped\s+on the do-not-call list do_not_call/,
    );
    assert.match(
      await contacts.getByRole('row').filter({ hasText: ABROAD }).innerText(),
      /skipped\s+not allowed by the dial policy destination_not_allowed/,
    );
  });

  test('a call is scheduled through the form and listed, one to a do-not-call number is refused with the server’s reason, and cancelling from the keyboard ends it', async () => {
    const at = new Date();
    at.setDate(at.getDate() + 2);
    at.setHours(10, 30, 0, 0);
    const pad = (n: number) => String(n).padStart(2, '0');
    const local = `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T10:30`;

    await open('scheduled-calls', 'Scheduled calls');
    const form = scheduledView().getByRole('form', { name: 'Schedule a call' });
    await form.getByLabel('Persona', { exact: true }).selectOption(PERSONA_ID);
    await form.getByLabel('Number to call').fill(DO_NOT_CALL);
    await form.getByLabel('When').fill(local);
    await form.getByRole('button', { name: 'Schedule call' }).click();
    await form
      .getByRole('alert')
      .filter({ hasText: /^do_not_call: / })
      .waitFor();

    await form.getByLabel('Number to call').fill(SCHEDULED);
    await form.getByRole('button', { name: 'Add variable' }).click();
    const variable = form.getByRole('group', { name: 'Variable 1' });
    await variable.getByLabel('Name').fill('reason');
    await variable.getByLabel('Value').fill('follow-up');
    await form.getByRole('button', { name: 'Schedule call' }).click();
    await form
      .getByRole('status')
      .filter({ hasText: `Scheduled the call to ${SCHEDULED}` })
      .waitFor();
    const row = scheduledView()
      .getByRole('table', { name: 'Scheduled calls, the next due first' })
      .getByRole('row')
      .filter({ hasText: SCHEDULED });
    assert.deepEqual(cells(await row.innerText()).slice(1, 5), [
      'api',
      PERSONA_ID,
      SCHEDULED,
      'scheduled',
    ]);
    const stored = (await admin<{ data: ScheduledCall[] }>(stack, '/v1/scheduled-calls')).data.find(
      (call) => call.to === SCHEDULED,
    );
    assert.deepEqual(
      [stored?.at && new Date(stored.at).toISOString(), stored?.variables],
      [at.toISOString(), { reason: 'follow-up' }],
    );
    await page.screenshot({
      path: path.join(SCREENSHOTS, 'studio-scheduled-calls.png'),
      fullPage: true,
    });
    await assertAccessible('the scheduled calls');

    await row
      .getByRole('button', { name: new RegExp(`^Cancel call to \\${SCHEDULED} at `) })
      .focus();
    await page.keyboard.press('Enter');
    await scheduledView()
      .getByRole('status')
      .filter({ hasText: `Cancel: call to ${SCHEDULED}` })
      .waitFor();
    await row.getByText('cancelled').waitFor();
    assert.equal(await row.getByRole('button').count(), 0, 'a cancelled call has no Cancel');
    // its button went with the old table: the keyboard is on the section's heading
    assert.equal(await focusedName(), 'Calls at a given time');
    const cancelled = (await admin<{ data: ScheduledCall[] }>(stack, '/v1/scheduled-calls')).data;
    assert.equal(cancelled.find((call) => call.to === SCHEDULED)?.status, 'cancelled');
  });
});
