import assert from 'node:assert/strict';
import { mkdir, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Persona } from '@parley/contracts';
import { launchChromium } from '../support/browser.js';
import { personaOf, testStack, type TestStack } from '../support/stack-env.js';
import { writeWav } from '../support/wav.js';
import {
  axeViolations,
  openWidgetPageAt,
  detailsOf,
  type ParleyVoiceApi,
  parleyLog,
  part,
  transcriptOf,
  waitForState,
  waitForTranscript,
  waitUntil,
} from '../support/widget-page.js';

const SCREENSHOTS = path.resolve(import.meta.dirname, '../artifacts/screenshots');
const QUESTION = 'Do you offer free shipping?';
const ANSWER = 'Yes, shipping is free on every order over fifty dollars.';

let stack: TestStack;
let persona: Persona;
let browser: Browser;

before(async () => {
  stack = await testStack();
  persona = await personaOf(stack);
  assert.ok(persona.knowledge.some((k) => k.question === QUESTION && k.answer === ANSWER));
  // a silent microphone: voice calls here must not trigger the agent's speech recognition
  const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-widget-panel-'));
  const mic = path.join(dir, 'silence.wav');
  await writeWav(mic, { sampleRate: 16_000, samples: new Int16Array(16_000 * 120) });
  browser = await launchChromium(mic, { allowLoopbackFromRoutedPages: true });
  await mkdir(SCREENSHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await stack?.release();
});

/** A page on the stack's origin (so its sessions are allowed) holding `body`. */
/** A test page whose own background follows the colour scheme, so dark screenshots read true. */
function openPage(name: string, body: string, lang = 'en'): Promise<Page> {
  return openWidgetPageAt(browser, `${stack.url}/__widget-test/${name}.html`, name, body, {
    lang,
    head: '<style>@media (prefers-color-scheme: dark) { body { background: #030712; color: #f9fafb } }</style>',
  });
}

async function assertNoAxeViolations(page: Page, what: string): Promise<void> {
  const violations = await axeViolations(page, 'parley-voice');
  assert.deepEqual(violations, [], `axe found problems in the ${what}:\n${violations.join('\n')}`);
}

/**
 * `light`, `dark`, or `auto` with the visitor's colour scheme emulated as `scheme`. Resolves once
 * the widget shows the theme.
 */
async function setTheme(
  page: Page,
  theme: 'light' | 'dark' | 'auto',
  scheme: 'light' | 'dark' = 'light',
): Promise<void> {
  await page.emulateMedia({ colorScheme: scheme });
  await page
    .locator('parley-voice')
    .evaluate((el, value) => el.setAttribute('theme', value), theme);
  // the theme is pure CSS: wait for the surface colour to change
  await page.waitForFunction(
    (dark) => {
      const panel = document.querySelector('parley-voice')?.shadowRoot?.querySelector('.panel');
      const launcher = document
        .querySelector('parley-voice')
        ?.shadowRoot?.querySelector('.launcher');
      const probe = panel ?? launcher;
      if (!probe) return false;
      const colour = getComputedStyle(probe).getPropertyValue(panel ? 'background-color' : 'color');
      return dark ? colour !== 'rgb(255, 255, 255)' : colour === 'rgb(255, 255, 255)';
    },
    theme === 'dark' || (theme === 'auto' && scheme === 'dark'),
  );
}

describe('<parley-voice> panel', () => {
  test('Enter and Space on the launcher ask to start; a host that cancels parley-request-start stops the call', async () => {
    const page = await openPage('veto', '<parley-voice persona="default"></parley-voice>');
    const sessionRequests: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/v1/sessions')) sessionRequests.push(r.url());
    });
    await page.evaluate(() =>
      document.addEventListener('parley-request-start', (event) => event.preventDefault()),
    );

    await part(page, 'launcher').focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Space');
    await waitUntil(
      page,
      async () => ((await detailsOf(page, 'parley-request-start')).length === 2 ? true : undefined),
      async () =>
        `expected two parley-request-start events: ${JSON.stringify(await parleyLog(page))}`,
      10_000,
    );
    assert.deepEqual(await detailsOf(page, 'parley-request-start'), [
      { persona: 'default', textOnly: false },
      { persona: 'default', textOnly: false },
    ]);
    assert.deepEqual(await detailsOf(page, 'parley-state'), [], 'a vetoed call must not start');
    assert.deepEqual(sessionRequests, []);
    assert.equal(await page.locator('parley-voice').getAttribute('state'), 'idle');

    for (const theme of ['light', 'dark'] as const) {
      await setTheme(page, theme, theme);
      await assertNoAxeViolations(page, `${theme} launcher`);
      await page
        .locator('parley-voice')
        .screenshot({ path: path.join(SCREENSHOTS, `widget-launcher-${theme}.png`) });
    }
    await page.close();
  });

  test('in text-only mode, a typed question is answered in the transcript; Escape hangs up', async () => {
    const page = await openPage(
      'text-only',
      '<parley-voice persona="default" text-only></parley-voice>',
    );
    await part(page, 'launcher').click();
    await waitForTranscript(page, 'agent', persona.greeting);
    const [connected] = await detailsOf<{ roomName: string; identity: string }>(
      page,
      'parley-connected',
    );
    assert.match(connected?.roomName ?? '', /^web_/);
    assert.match(connected?.identity ?? '', /^visitor_/);
    // text mode asks for no microphone
    assert.ok(
      !(await detailsOf<{ state: string }>(page, 'parley-state')).some(
        (d) => d.state === 'requesting-microphone',
      ),
    );

    const input = part(page, 'composer').locator('input');
    await waitUntil(
      page,
      async () => ((await input.isEnabled()) ? true : undefined),
      () => 'the message box never became usable',
      60_000,
    );
    await input.fill(QUESTION);
    await input.press('Enter');
    await waitForTranscript(page, 'user', QUESTION, 10_000);
    await waitForTranscript(page, 'agent', ANSWER);
    const shown = await part(page, 'transcript').innerText();
    assert.ok(shown.includes(`You: ${QUESTION}`), `the panel shows: ${shown}`);
    assert.ok(shown.includes(ANSWER), `the panel shows: ${shown}`);
    assert.match((await part(page, 'timer').innerText()).trim(), /^\d+:\d\d$/);
    assert.deepEqual(await detailsOf(page, 'parley-error'), []);

    // `auto` follows the visitor's colour scheme
    for (const scheme of ['light', 'dark'] as const) {
      await setTheme(page, 'auto', scheme);
      await assertNoAxeViolations(page, `${scheme} panel during a text call`);
      await page.screenshot({ path: path.join(SCREENSHOTS, `widget-panel-${scheme}.png`) });
    }

    await input.focus();
    await page.keyboard.press('Escape');
    await waitForState(page, 'ended', 10_000);
    const ended = await detailsOf(page, 'parley-ended');
    assert.deepEqual(ended, [{ reason: 'visitor', roomName: connected?.roomName }]);
    // the launcher replaces the end button and keeps the keyboard focus
    assert.equal(
      await page.evaluate(
        () => document.querySelector('parley-voice')?.shadowRoot?.activeElement?.className,
      ),
      'launcher',
    );
    await page.close();
  });

  test('a voice call sends the variables, starts muted, shows levels and a timer; the mute button toggles', async () => {
    const page = await openPage(
      'voice',
      `<parley-voice persona="default" start-muted variables='{"plan":"pro","seats":3}'></parley-voice>`,
    );
    const bodies: unknown[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/v1/sessions')) bodies.push(r.postDataJSON());
    });
    await part(page, 'launcher').click();
    await waitForState(page, 'listening');
    assert.deepEqual(bodies, [{ persona: 'default', variables: { plan: 'pro', seats: 3 } }]);

    const mute = part(page, 'mute-button');
    assert.equal(await mute.getAttribute('aria-pressed'), 'true');
    assert.equal(
      await page.locator('parley-voice').evaluate((el) => (el as ParleyVoiceApi).muted),
      true,
    );
    await mute.click();
    assert.equal(await mute.getAttribute('aria-pressed'), 'false');
    assert.equal(
      await page.locator('parley-voice').evaluate((el) => (el as ParleyVoiceApi).muted),
      false,
    );
    await page.locator('parley-voice').evaluate((el) => (el as ParleyVoiceApi).setMuted(true));
    assert.equal(await mute.getAttribute('aria-pressed'), 'true');

    // the agent's greeting moves its level meter (LiveKit's speaker levels)
    await waitUntil(
      page,
      async () => {
        const level = await part(page, 'meters')
          .locator('[data-who="agent"] > span')
          .evaluate((el) => Number((el as HTMLElement).style.getPropertyValue('--level')));
        return level > 0 ? level : undefined;
      },
      () => 'the agent level meter never moved during the greeting',
      60_000,
    );
    await waitForTranscript(page, 'agent', persona.greeting);
    assert.match((await part(page, 'timer').innerText()).trim(), /^\d+:\d\d$/);

    await part(page, 'end-button').click();
    await waitForState(page, 'ended', 10_000);
    const [connected] = await detailsOf<{ roomName: string }>(page, 'parley-connected');
    assert.deepEqual(await detailsOf(page, 'parley-ended'), [
      { reason: 'visitor', roomName: connected?.roomName },
    ]);
    assert.equal(await transcriptOf(page, 'user'), '', 'a muted, silent visitor said nothing');
    await page.close();
  });

  test('push-to-talk: the microphone is live only while the talk button is held; reduced motion stops the animations', async () => {
    const page = await openPage(
      'push-to-talk',
      '<parley-voice persona="default" push-to-talk></parley-voice>',
    );
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await part(page, 'launcher').click();
    await waitForState(page, 'listening');
    const widget = page.locator('parley-voice');
    const talk = part(page, 'talk-button');
    const muted = () => widget.evaluate((el) => (el as ParleyVoiceApi).muted);
    assert.equal(await part(page, 'mute-button').count(), 0);
    assert.equal(await talk.getAttribute('aria-pressed'), 'false');
    assert.equal(await muted(), true);

    await talk.hover();
    await page.mouse.down();
    assert.equal(await talk.getAttribute('aria-pressed'), 'true');
    assert.equal(await muted(), false);
    await page.mouse.up();
    assert.equal(await talk.getAttribute('aria-pressed'), 'false');
    assert.equal(await muted(), true);

    // the keyboard way: hold Space on the focused button
    await talk.focus();
    await page.keyboard.down(' ');
    assert.equal(await muted(), false);
    await page.keyboard.up(' ');
    assert.equal(await muted(), true);

    const animation = await widget.evaluate((el) => {
      const indicator = el.shadowRoot?.querySelector('.indicator');
      return indicator ? getComputedStyle(indicator).animationName : 'missing';
    });
    assert.equal(animation, 'none', 'the listening indicator pulses despite reduced motion');
    await widget.evaluate((el) => (el as ParleyVoiceApi).end());
    await waitForState(page, 'ended', 10_000);
    await page.close();
  });

  test('the widget speaks the page language: French strings and error messages', async () => {
    const page = await openPage(
      'french',
      `<parley-voice persona="default" text-only server="http://127.0.0.1:9"></parley-voice>
       <div lang="en"><parley-voice id="english"></parley-voice></div>`,
      'fr',
    );
    assert.equal((await part(page, 'launcher').innerText()).trim(), 'Parlez-nous');
    assert.equal(
      (await page.locator('#english').locator('[part~="launcher"]').innerText()).trim(),
      'Talk to us',
    );
    // nothing listens on port 9: the call fails at once, in French
    await part(page, 'launcher').click();
    await waitForState(page, 'error', 20_000);
    assert.deepEqual(await detailsOf(page, 'parley-error'), [
      {
        code: 'server_unreachable',
        message: 'L’assistant vocal est injoignable. Réessayez plus tard.',
      },
    ]);
    assert.equal((await part(page, 'status').innerText()).trim(), 'L’appel a échoué');
    assert.equal(await part(page, 'panel').getAttribute('lang'), 'fr');
    await page.close();
  });
});
