import assert from 'node:assert/strict';
import { mkdir, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Persona } from '@parley/contracts';
import { launchChromium } from '../support/browser.js';
import { admin } from '../support/calls.js';
import { personaOf, testStack, type TestStack } from '../support/stack-env.js';
import { padWithSilence, synthesize, writeWav } from '../support/wav.js';
import { axeViolations, type ParleyVoiceApi, waitUntil } from '../support/widget-page.js';

const SCREENSHOTS = path.resolve(import.meta.dirname, '../artifacts/screenshots');
/** Unique per run: the suite may share a stack (and its database) with earlier runs. */
const PERSONA_ID = `studio-bakery-${Date.now().toString(36)}`;
const QUESTION = 'Do you bake sourdough bread?';
const ANSWER = 'Yes, we bake sourdough every morning at six.';
const FIRST_GREETING = 'Welcome to the Studio Bakery! What can I do for you?';
const STOCK_PARAMETERS = {
  type: 'object',
  properties: { bread: { type: 'string' } },
  required: ['bread'],
};
const SECOND_GREETING = 'Hello from the Studio Bakery, version two. Ask me about our bread.';

let stack: TestStack;
let browser: Browser;
let context: BrowserContext;
let page: Page;

before(async () => {
  stack = await testStack();
  browser = await launchChromium();
  context = await browser.newContext({
    colorScheme: 'light',
    viewport: { width: 1280, height: 900 },
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.url });
  page = await context.newPage();
  await mkdir(SCREENSHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await stack?.release();
});

/** The view the studio shows (its `<section>`), by its heading. */
function view(title: string) {
  return page.locator('section.view:not([hidden])').filter({
    has: page.getByRole('heading', { level: 2, name: title }),
  });
}

async function screenshot(target: Page, name: string): Promise<void> {
  await target.screenshot({ path: path.join(SCREENSHOTS, `studio-${name}.png`), fullPage: true });
}

async function openAllSections(target: Page): Promise<void> {
  await target.locator('form.persona-form details').evaluateAll((sections) => {
    for (const section of sections) (section as HTMLDetailsElement).open = true;
  });
}

async function assertAccessible(target: Page, where: string): Promise<void> {
  const violations = await axeViolations(target, 'body');
  assert.deepEqual(violations, [], `axe found problems in ${where}:\n${violations.join('\n')}`);
}

describe('the persona studio in Chromium', () => {
  test('a wrong admin key is refused; a #key= link signs in, keeps the key in this tab only, and leaves the address bar', async () => {
    await page.goto(`${stack.url}/#/personas`);
    await view('Personas').getByText('Sign in with the admin key').waitFor();
    await page.getByLabel('Admin key').fill('not-the-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'That key was not accepted' }).waitFor();
    assert.match(
      await page.locator('#admin-key-error').innerText(),
      /unauthorized: missing or invalid bearer credential/,
    );

    await page.goto(`${stack.url}/#key=${encodeURIComponent(stack.secrets.adminKey)}`);
    await page.getByText('Signed in with the admin key').waitFor();
    const storage = await page.evaluate(() => ({
      hash: location.hash,
      session: Object.values(sessionStorage),
      local: Object.keys(localStorage).length,
    }));
    assert.deepEqual(storage, { hash: '', session: [stack.secrets.adminKey], local: 0 });
    // the landing place is "Talk now", with the widget ready
    await view('Talk now').locator('parley-voice').waitFor();
  });

  test('creating a persona: every section is in the form, and what was typed is what the server stores', async () => {
    await page.getByRole('link', { name: 'Personas', exact: true }).click();
    await page.getByRole('link', { name: 'New persona' }).click();
    const form = page.locator('form.persona-form');
    for (const section of [
      'Identity',
      'Providers',
      'Knowledge',
      'Variables',
      'Web access',
      'Tools',
      'Turn-taking',
      'Business hours',
      'Lead qualification',
      'Escalation and handoffs',
      'Silence and call length',
      'Disclosure and consent',
    ]) {
      await form.locator('summary', { hasText: section }).waitFor();
    }
    await form.getByLabel('Id', { exact: true }).fill(PERSONA_ID);
    await form.getByLabel('Name', { exact: true }).fill('Studio Bakery');
    await form.getByLabel('Voice', { exact: true }).fill('kal');
    await form.getByLabel('Greeting', { exact: true }).fill(FIRST_GREETING);
    await form.getByLabel('Replies').selectOption('scripted');
    await form.getByRole('button', { name: 'Add knowledge entry' }).click();
    await form.getByLabel('Question').fill(QUESTION);
    await form.getByLabel('Answer').fill(ANSWER);
    await form.locator('summary', { hasText: 'Variables' }).click();
    await form.getByRole('button', { name: 'Add variable' }).click();
    const variable = form.getByRole('group', { name: 'Variable 1' });
    await variable.getByLabel('Name').fill('ovenCount');
    await variable.getByLabel('Type').selectOption('number');
    await variable.getByLabel('Value').fill('3');
    await form.locator('summary', { hasText: 'Tools' }).click();
    await form.getByLabel(/^capture_lead/).check();
    await form.getByRole('button', { name: 'Add webhook tool' }).click();
    const webhook = form.getByRole('group', { name: 'Webhook tool 1' });
    await webhook.getByLabel('Name', { exact: true }).fill('check_stock');
    await webhook.getByLabel('Description').fill('Whether a bread is in stock today');
    await webhook.getByLabel('URL').fill('https://bakery.example/stock');
    await webhook.getByLabel('Parameters (JSON Schema)').fill(JSON.stringify(STOCK_PARAMETERS));
    await webhook.getByRole('button', { name: 'Add header' }).click();
    await webhook.getByRole('group', { name: 'Header 1' }).getByLabel('Name').fill('x-api-key');
    await webhook
      .getByRole('group', { name: 'Header 1' })
      .getByLabel('Value')
      .fill('{{secret.STOCK_KEY}}');
    await webhook.getByLabel('Phrases').fill('in stock\nsold out');
    await form.getByRole('button', { name: 'Add client tool' }).click();
    const clientTool = form.getByRole('group', { name: 'Client tool 1' });
    await clientTool.getByLabel('Name', { exact: true }).fill('getPageTitle');
    await clientTool.getByLabel('Description').fill('The title of the page the visitor is on');
    await form.locator('summary', { hasText: 'Business hours' }).click();
    await form.getByLabel('Has business hours').check();
    await form.getByLabel('Time zone').fill('Europe/Paris');
    await screenshot(page, 'persona-new-light');
    await form.getByRole('button', { name: 'Create persona' }).click();

    await page.getByRole('status').filter({ hasText: 'Created “Studio Bakery”.' }).waitFor();
    assert.equal(new URL(page.url()).hash, `#/personas/${PERSONA_ID}`);
    await page
      .getByRole('navigation', { name: 'Personas' })
      .getByRole('link', { name: new RegExp(PERSONA_ID) })
      .waitFor();
    const stored = await admin<Persona>(stack, `/v1/personas/${PERSONA_ID}`);
    assert.equal(stored.voice, 'kal');
    assert.equal(stored.greeting, FIRST_GREETING);
    assert.equal(stored.providers.llm, 'scripted');
    assert.deepEqual(stored.knowledge, [{ question: QUESTION, answer: ANSWER }]);
    assert.deepEqual(stored.tools, ['capture_lead']);
    assert.deepEqual(stored.variables, { ovenCount: 3 });
    assert.deepEqual(
      stored.webhookTools.map(({ name, method, url, parameters, headers, phrases }) => ({
        name,
        method,
        url,
        parameters,
        headers,
        phrases,
      })),
      [
        {
          name: 'check_stock',
          method: 'POST',
          url: 'https://bakery.example/stock',
          parameters: STOCK_PARAMETERS,
          headers: { 'x-api-key': '{{secret.STOCK_KEY}}' },
          phrases: ['in stock', 'sold out'],
        },
      ],
    );
    assert.deepEqual(
      stored.clientTools.map((tool) => tool.name),
      ['getPageTitle'],
    );
    assert.equal(stored.businessHours?.timeZone, 'Europe/Paris');
    assert.equal(stored.businessHours?.weekly.length, 5);
  });

  test('a bad field is shown beside it and in a summary, focus goes to it, and nothing is saved', async () => {
    const form = page.locator('form.persona-form');
    const greeting = form.getByLabel('Greeting', { exact: true });
    await greeting.fill('');
    await form.locator('summary', { hasText: 'Web access' }).click();
    await form.getByLabel('Allowed origins').fill('not an origin');
    const parameters = form
      .getByRole('group', { name: 'Client tool 1' })
      .getByLabel('Parameters (JSON Schema)');
    await form.locator('summary', { hasText: 'Tools' }).click();
    await parameters.fill('{ "type": "object", ');
    await form.getByRole('button', { name: 'Save as new version' }).click();

    const summary = form.locator('.form-summary');
    await summary.waitFor();
    const text = await summary.innerText();
    assert.match(text, /greeting: String must contain at least 1 character/);
    assert.match(text, /allowedOrigins › 1: /);
    assert.match(text, /clientTools › 1 › parameters: /);
    assert.equal(await parameters.getAttribute('aria-invalid'), 'true');
    const parametersError = await parameters.evaluate(
      (el) =>
        document.getElementById(el.getAttribute('aria-describedby')?.split(' ').at(-1) ?? '')
          ?.textContent,
    );
    assert.match(parametersError ?? '', /^not JSON: /);
    assert.equal(await greeting.getAttribute('aria-invalid'), 'true');
    assert.equal(await greeting.evaluate((el) => el === document.activeElement), true);
    assert.match(
      await form.getByText('String must contain at least 1 character').first().innerText(),
      /at least 1/,
    );
    await screenshot(page, 'persona-invalid-light');
    const stored = await admin<Persona>(stack, `/v1/personas/${PERSONA_ID}`);
    assert.equal(stored.greeting, FIRST_GREETING, 'a rejected form must not be saved');
  });

  test("the server's own refusal is shown as its code and message", async () => {
    await page.goto(`${stack.url}/#/personas/new`);
    const form = page.locator('form.persona-form');
    await form.getByRole('button', { name: 'Create persona' }).waitFor();
    await form.getByLabel('Id', { exact: true }).fill('default');
    await form.getByRole('button', { name: 'Create persona' }).click();
    const alert = page.locator('.save-failure [role="alert"]');
    await alert.waitFor();
    assert.equal(await alert.innerText(), "conflict: persona 'default' already exists");
    assert.equal(await alert.evaluate((el) => el === document.activeElement), true);
  });

  test('editing a persona saves a new version, which its history lists as current', async () => {
    await page.goto(`${stack.url}/#/personas/${PERSONA_ID}`);
    const form = page.locator('form.persona-form');
    // the form of this persona, not the new-persona form it replaces
    await form.getByRole('button', { name: 'Save as new version' }).waitFor();
    const greeting = form.getByLabel('Greeting', { exact: true });
    assert.equal(await greeting.inputValue(), FIRST_GREETING);
    await greeting.fill(SECOND_GREETING);
    await form.getByRole('button', { name: 'Save as new version' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved a new version.' }).waitFor();

    const history = page.locator('section.versions');
    await history.getByText('Version 2').waitFor();
    const items = await history.locator('li').allInnerTexts();
    assert.equal(items.length, 2, items.join('\n'));
    assert.match(items[0] ?? '', /^Version 2 .*\(current\)/);
    assert.match(items[1] ?? '', /^Version 1 /);
    assert.equal(
      (await admin<Persona>(stack, `/v1/personas/${PERSONA_ID}`)).greeting,
      SECOND_GREETING,
    );
    // every section open: every field is checked by axe and seen on the screenshot
    await openAllSections(page);
    await screenshot(page, 'persona-edit-light');
    await assertAccessible(page, 'the persona editor (light)');

    // an old version comes back into the editor, to be saved again (not saved by loading it)
    await history.getByRole('button', { name: 'Load into the editor: Version 1' }).click();
    await page.getByRole('status').filter({ hasText: 'Version 1 is in the editor' }).waitFor();
    assert.equal(await form.getByLabel('Greeting', { exact: true }).inputValue(), FIRST_GREETING);
    assert.equal(
      (await admin<Persona>(stack, `/v1/personas/${PERSONA_ID}`)).greeting,
      SECOND_GREETING,
    );
  });

  test(
    'talk now in text mode: the reply shows in the live transcript, with the latency of each turn',
    { timeout: 120_000 },
    async () => {
      await page.getByRole('button', { name: 'Talk to this persona' }).click();
      const talk = view('Talk now');
      await talk.waitFor();
      assert.equal(await talk.getByLabel('Persona').inputValue(), PERSONA_ID);
      await talk.getByLabel('Text only (no microphone)').check();
      const launcher = talk.locator('parley-voice').locator('[part~="launcher"]');
      await launcher.click();

      const transcript = talk.locator('ol.live-transcript');
      await transcript.getByText(SECOND_GREETING).waitFor({ timeout: 60_000 });
      await talk.locator('.call-state', { hasText: 'listening' }).waitFor();
      await talk
        .locator('parley-voice')
        .evaluate((el, text) => (el as ParleyVoiceApi).sendText(text), QUESTION);
      await transcript.getByText(ANSWER).waitFor({ timeout: 60_000 });
      const lines = await transcript.locator('li').allInnerTexts();
      assert.ok(
        lines.some((line) => line === `You ${QUESTION}`),
        lines.join('\n'),
      );
      assert.ok(
        lines.some((line) => line === `Agent ${ANSWER}`),
        lines.join('\n'),
      );

      // The answer's turn (turn 2) reaches the record with its timings drawn. The greeting
      // (turn 1) has no stage timings: its audio was rendered before the call started
      // (agent/README.md), so no stage of it ran on the caller's time.
      const rows = talk.locator('.waterfall-table tbody tr');
      await waitUntil(
        page,
        async () => ((await rows.count()) >= 1 ? true : undefined),
        async () => `the waterfall shows: ${await talk.locator('.talk-latency').innerText()}`,
        30_000,
      );
      const cells = (await rows.first().locator('th, td').allInnerTexts()).map((c) => c.trim());
      assert.equal(cells[0], '2', `the answer's turn: ${cells.join(' | ')}`);
      assert.ok(
        cells.slice(1).some((cell) => /^\d+$/.test(cell)),
        `the answer's turn has timings: ${cells.join(' | ')}`,
      );
      assert.ok((await talk.locator('svg.waterfall rect.bar').count()) >= 2);
      await screenshot(page, 'talk-light');
      await assertAccessible(page, 'the talk view during a call (light)');
      await talk.locator('parley-voice').evaluate((el) => (el as ParleyVoiceApi).end());
      await talk.locator('.call-state', { hasText: 'ended' }).waitFor();
    },
  );

  test(
    'a spoken question: its turn shows every stage in the waterfall',
    { timeout: 150_000 },
    async () => {
      const spoken = 'What are your opening hours?';
      const answer = (await personaOf(stack)).knowledge.find((k) => k.question === spoken)?.answer;
      assert.ok(answer, 'the default persona answers the spoken question');
      const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-studio-'));
      const mic = path.join(dir, 'mic.wav');
      // the fake microphone starts with the call: quiet through the greeting, then the question
      await writeWav(
        mic,
        padWithSilence(await synthesize(spoken, path.join(dir, 'question.wav')), 10, 40),
      );
      const voiceBrowser = await launchChromium(mic);
      try {
        const voicePage = await voiceBrowser.newPage({ viewport: { width: 1280, height: 900 } });
        await voicePage.goto(`${stack.url}/#key=${encodeURIComponent(stack.secrets.adminKey)}`);
        const talk = voicePage.locator('#view-talk');
        await talk.getByLabel('Persona').selectOption('default');
        await talk.locator('parley-voice').locator('[part~="launcher"]').click();
        await talk.locator('ol.live-transcript').getByText(answer).waitFor({ timeout: 90_000 });

        // a spoken turn has all five timings: no "—" left in its row of the table
        const complete = talk.locator('.waterfall-table tbody tr').filter({ hasNotText: '—' });
        await waitUntil(
          voicePage,
          async () => ((await complete.count()) > 0 ? true : undefined),
          async () =>
            `no turn with every stage: ${await talk.locator('.talk-latency').innerText()}`,
          30_000,
        );
        const cells = await complete.first().locator('td').allInnerTexts();
        assert.equal(cells.length, 5);
        for (const cell of cells) assert.match(cell, /^\d+$/);
        await screenshot(voicePage, 'talk-voice-light');
        await talk.locator('parley-voice').evaluate((el) => (el as ParleyVoiceApi).end());
      } finally {
        await voiceBrowser.close();
      }
    },
  );

  test(
    'the call history lists the call; its page shows the turns, the persona version and the waterfall',
    { timeout: 60_000 },
    async () => {
      await page.getByRole('link', { name: 'Calls', exact: true }).click();
      const calls = view('Call history');
      await calls.getByLabel('Persona').selectOption(PERSONA_ID);
      await calls.getByRole('button', { name: 'Apply filters' }).click();
      const rows = calls.locator('table.data-table tbody tr');
      await waitUntil(
        page,
        async () => ((await rows.count()) === 1 ? true : undefined),
        async () => `the filtered list shows: ${await calls.innerText()}`,
        15_000,
      );
      assert.match(await rows.first().innerText(), new RegExp(`${PERSONA_ID} v2\\s+web`));
      await rows.first().getByRole('link').click();

      const detail = calls.locator('article.call-detail');
      await detail.waitFor();
      const turns = await detail.locator('.turns > li').allInnerTexts();
      assert.ok(
        turns.some((turn) => turn.includes(SECOND_GREETING)),
        turns.join('\n'),
      );
      assert.ok(
        turns.some(
          (turn) => turn.includes(`Caller ${QUESTION}`) && turn.includes(`Agent ${ANSWER}`),
        ),
        turns.join('\n'),
      );
      const facts = await detail.locator('dl.facts').innerText();
      assert.match(facts, /Persona version\s+2/);
      assert.match(facts, /Channel\s+web/);
      assert.ok((await detail.locator('svg.waterfall rect.bar').count()) >= 2);
      const header = await detail.locator('.waterfall-table thead').innerText();
      for (const stage of [
        'End of turn',
        'STT',
        'LLM first token',
        'TTS first byte',
        'End to end',
      ]) {
        assert.ok(header.includes(stage), header);
      }
      await screenshot(page, 'call-detail-light');
      await assertAccessible(page, 'the call detail (light)');
    },
  );

  test('the embed snippet follows the options and the copy button puts it on the clipboard', async () => {
    await page.getByRole('link', { name: 'Embed', exact: true }).click();
    const embed = view('Embed on a site');
    await embed.getByLabel('Persona').selectOption(PERSONA_ID);
    await embed.getByLabel('Theme').selectOption('dark');
    await embed.getByLabel('Position').selectOption('bottom-left');
    const expected =
      `<script src="${stack.url}/widget/parley.js" data-persona="${PERSONA_ID}" ` +
      'data-position="bottom-left" data-theme="dark" async></script>';
    assert.equal(await embed.getByLabel('Embed snippet').inputValue(), expected);
    await embed.getByRole('button', { name: 'Copy snippet' }).click();
    await embed.getByRole('status').filter({ hasText: 'Copied to the clipboard.' }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), expected);
    await screenshot(page, 'embed-light');
    await assertAccessible(page, 'the embed generator (light)');
  });

  test(
    'in dark mode every view passes axe; screenshots for review',
    { timeout: 60_000 },
    async () => {
      const dark = await browser.newContext({
        colorScheme: 'dark',
        viewport: { width: 1280, height: 900 },
      });
      const darkPage = await dark.newPage();
      await darkPage.goto(`${stack.url}/#key=${encodeURIComponent(stack.secrets.adminKey)}`);
      await darkPage.getByText('Signed in with the admin key').waitFor();
      const shots: [string, string, string][] = [
        ['#/talk', 'talk-dark', 'Talk now'],
        [`#/personas/${PERSONA_ID}`, 'persona-edit-dark', 'Personas'],
        ['#/calls', 'calls-dark', 'Call history'],
        ['#/leads', 'leads-dark', 'Leads'],
        ['#/appointments', 'appointments-dark', 'Appointments'],
        ['#/embed', 'embed-dark', 'Embed on a site'],
      ];
      for (const [hash, name, title] of shots) {
        await darkPage.evaluate((next) => {
          location.hash = next;
        }, hash);
        const section = darkPage.locator('section.view:not([hidden])');
        await section.getByRole('heading', { level: 2, name: title }).waitFor();
        await section.locator('.muted', { hasText: 'Loading…' }).waitFor({ state: 'detached' });
        if (hash.startsWith('#/personas')) {
          await section.locator('form.persona-form').waitFor();
          await openAllSections(darkPage);
        }
        assert.equal(await section.getByRole('alert').count(), 0, await section.innerText());
        await screenshot(darkPage, name);
        await assertAccessible(darkPage, `${title} (dark)`);
      }
      await dark.close();
    },
  );
});
