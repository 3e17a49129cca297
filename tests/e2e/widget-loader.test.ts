import assert from 'node:assert/strict';
import { mkdir, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Persona } from '@parley/contracts';
import { launchChromium } from '../support/browser.js';
import { testStack, type TestStack } from '../support/stack-env.js';
import { writeWav } from '../support/wav.js';
import {
  detailsOf,
  type ParleyVoiceApi,
  recordParleyEvents,
  servePage,
  waitForState,
  waitForTranscript,
} from '../support/widget-page.js';

const SCREENSHOTS = path.resolve(import.meta.dirname, '../artifacts/screenshots');
/** The strictest policy a site might have: scripts and styles from its own origin only. */
const STRICT_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self' ws:";

let stack: TestStack;
let persona: Persona;
let browser: Browser;

declare global {
  interface Window {
    cspViolations: string[];
  }
}

before(async () => {
  stack = await testStack();
  const res = await fetch(`${stack.url}/v1/personas/default`, {
    headers: { authorization: `Bearer ${stack.secrets.adminKey}` },
  });
  persona = (await res.json()) as Persona;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-widget-loader-'));
  const mic = path.join(dir, 'silence.wav');
  await writeWav(mic, { sampleRate: 16_000, samples: new Int16Array(16_000 * 120) });
  browser = await launchChromium(mic, { allowLoopbackFromRoutedPages: true });
  await mkdir(SCREENSHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await stack?.release();
});

interface LoaderPage {
  page: Page;
  /** URLs of every request for the element bundle, in order. */
  bundleRequests: string[];
}

/**
 * A page on the stack's origin whose body is `body` (the loader snippet), served with `headers`.
 * Records `parley-*` events, requests for `parley-voice.js` and CSP violations.
 */
async function openLoaderPage(
  name: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<LoaderPage> {
  const page = await browser.newPage();
  await recordParleyEvents(page);
  await page.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      window.cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI}`);
    });
  });
  const bundleRequests: string[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('/widget/parley-voice.js')) bundleRequests.push(request.url());
  });
  const url = `${stack.url}/__widget-test/${name}.html`;
  await servePage(
    page,
    url,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${name}</title></head>
    <body><main><h1>A page with the Parley snippet</h1>${body}</main></body></html>`,
    headers,
  );
  await page.goto(url);
  return { page, bundleRequests };
}

/** The loader's look-alike launcher (before the element has loaded). */
function placeholder(page: Page) {
  return page.locator('[data-parley-launcher]').locator('[part~="launcher"]');
}

describe('parley.js loader', () => {
  test('under a strict CSP, pasted twice: one launcher, no element bundle before intent, a click starts the call', async () => {
    const snippet =
      '<script src="/widget/parley.js" data-persona="default" data-load="intent" async></script>';
    const { page, bundleRequests } = await openLoaderPage('csp', snippet + snippet, {
      'content-security-policy': STRICT_CSP,
    });
    await placeholder(page).waitFor({ state: 'visible', timeout: 15_000 });
    await page.waitForLoadState('networkidle');
    assert.equal(await page.locator('[data-parley-launcher]').count(), 1, 'one launcher');
    assert.equal(await page.locator('parley-voice').count(), 0);
    assert.deepEqual(bundleRequests, [], 'parley-voice.js was fetched before any intent');
    assert.equal((await placeholder(page).innerText()).trim(), 'Talk to us');
    // the look-alike is styled (a constructed style sheet, which the CSP allows)
    assert.equal(
      await placeholder(page).evaluate((el) => getComputedStyle(el).backgroundColor),
      'rgb(29, 78, 216)',
    );
    await page.screenshot({ path: path.join(SCREENSHOTS, 'widget-loader-launcher.png') });

    // a click before the element has loaded starts the call once it has
    await placeholder(page).click();
    await waitForState(page, 'waiting-for-agent');
    assert.equal(bundleRequests.length, 1);
    await waitForTranscript(page, 'agent', persona.greeting);
    assert.equal(await page.locator('[data-parley-launcher]').count(), 0, 'the look-alike left');
    assert.equal(await page.locator('parley-voice').count(), 1);
    assert.equal(await page.locator('parley-voice').getAttribute('position'), 'bottom-right');
    assert.deepEqual(await detailsOf(page, 'parley-error'), []);
    await page.locator('parley-voice').evaluate((el) => (el as ParleyVoiceApi).end());
    await waitForState(page, 'ended', 10_000);
    assert.deepEqual(await page.evaluate(() => window.cspViolations), []);
    await page.close();
  });

  test('when the page is idle, the element loads by itself and takes the data-* attributes', async () => {
    const { page, bundleRequests } = await openLoaderPage(
      'idle',
      `<script src="/widget/parley.js" data-persona="default" data-theme="dark"
         data-position="bottom-left" data-accent="#ffd60a" data-lang="fr" data-text-only
         data-variables='{"plan":"pro"}' data-agent-timeout="12" async></script>`,
      { 'content-security-policy': STRICT_CSP },
    );
    const element = page.locator('parley-voice');
    await element.locator('[part~="launcher"]').waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(bundleRequests.length, 1, 'loaded once, with no interaction');
    assert.equal(await page.locator('[data-parley-launcher]').count(), 0);
    const attributes = await element.evaluate((el) =>
      Object.fromEntries(el.getAttributeNames().map((name) => [name, el.getAttribute(name)])),
    );
    assert.equal(attributes['theme'], 'dark');
    assert.equal(attributes['position'], 'bottom-left');
    assert.equal(attributes['accent'], '#ffd60a');
    assert.equal(attributes['lang'], 'fr');
    assert.equal(attributes['text-only'], '');
    assert.equal(attributes['agent-timeout'], '12');
    assert.equal(attributes['server'], stack.url);
    assert.deepEqual(
      await element.evaluate((el) => {
        const widget = el as ParleyVoiceApi;
        return { variables: widget.variables, textOnly: widget.textOnly };
      }),
      { variables: { plan: 'pro' }, textOnly: true },
    );
    const launcher = element.locator('[part~="launcher"]');
    assert.equal((await launcher.innerText()).trim(), 'Parlez-nous');
    // a light accent gets dark text
    assert.deepEqual(
      await launcher.evaluate((el) => [
        getComputedStyle(el).backgroundColor,
        getComputedStyle(el).color,
      ]),
      ['rgb(255, 214, 10)', 'rgb(0, 0, 0)'],
    );
    const box = await launcher.boundingBox();
    assert.ok(box && box.x < 100, `bottom-left, got x=${box?.x}`);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'widget-loader-bottom-left.png') });
    assert.deepEqual(await page.evaluate(() => window.cspViolations), []);
    await page.close();
  });
});
