import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Persona } from '@parley/contracts';
import { launchChromium } from '../support/browser.js';
import { personaOf, testStack, type TestStack } from '../support/stack-env.js';
import {
  axeViolations,
  openWidgetPageAt,
  detailsOf,
  type ParleyVoiceApi,
  parleyLog,
  part,
  waitForState,
  waitForTranscript,
  waitUntil,
} from '../support/widget-page.js';

const SCREENSHOTS = path.resolve(import.meta.dirname, '../artifacts/screenshots');
/** A page origin the default persona does not allow (nothing listens on port 1: the test serves it). */
const FOREIGN_ORIGIN = 'http://localhost:1';

let stack: TestStack;
let persona: Persona;
let browser: Browser;

before(async () => {
  stack = await testStack();
  persona = await personaOf(stack);
  // a visitor who answers the microphone prompt with "block"
  browser = await launchChromium(undefined, {
    microphone: 'deny',
    allowLoopbackFromRoutedPages: true,
  });
  await mkdir(SCREENSHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await stack?.release();
});

function openPage(context: BrowserContext, url: string, element: string): Promise<Page> {
  return openWidgetPageAt(context, url, 'failures', element);
}

describe('<parley-voice> failures and next steps', () => {
  test('when the microphone is blocked, the panel says so and offers typing, which starts a text call', async () => {
    const context = await browser.newContext();
    const page = await openPage(
      context,
      `${stack.url}/__widget-test/denied.html`,
      '<parley-voice persona="default"></parley-voice>',
    );
    await part(page, 'launcher').click();
    await waitForState(page, 'error', 20_000);
    const [error] = await detailsOf<{ code: string; message: string }>(page, 'parley-error');
    assert.equal(error?.code, 'microphone_denied');
    assert.equal((await part(page, 'error').innerText()).trim(), error?.message);
    assert.match(error?.message ?? '', /Microphone access was blocked/);
    const violations = await axeViolations(page, 'parley-voice');
    assert.deepEqual(violations, [], violations.join('\n'));
    await page.screenshot({ path: path.join(SCREENSHOTS, 'widget-microphone-blocked.png') });

    await part(page, 'text-mode-button').click();
    await waitForTranscript(page, 'agent', persona.greeting);
    assert.equal(await page.locator('parley-voice').getAttribute('text-only'), '');
    assert.ok(await part(page, 'composer').isVisible());
    assert.equal(await part(page, 'mute-button').count(), 0, 'no microphone, no mute button');
    await page.locator('parley-voice').evaluate((el) => (el as ParleyVoiceApi).end());
    await waitForState(page, 'ended', 10_000);
    await context.close();
  });

  test('when the server refuses the page origin, the visitor sees the server’s message', async () => {
    const context = await browser.newContext();
    // the foreign page loads the widget files as its own (the server sends no CORS headers for them)
    await context.route(`${FOREIGN_ORIGIN}/widget/**`, async (route) => {
      const { pathname } = new URL(route.request().url());
      await route.fulfill({ response: await route.fetch({ url: `${stack.url}${pathname}` }) });
    });
    const refusal = await fetch(`${stack.url}/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: FOREIGN_ORIGIN },
      body: JSON.stringify({ persona: 'default' }),
    });
    assert.equal(refusal.status, 403);
    const { error: expected } = (await refusal.json()) as {
      error: { code: string; message: string };
    };

    const page = await openPage(
      context,
      `${FOREIGN_ORIGIN}/shop.html`,
      `<parley-voice persona="default" server="${stack.url}" text-only></parley-voice>`,
    );
    await part(page, 'launcher').click();
    await waitForState(page, 'error', 20_000);
    assert.deepEqual(await detailsOf(page, 'parley-error'), [
      { code: 'origin_not_allowed', message: expected.message },
    ]);
    assert.equal((await part(page, 'error').innerText()).trim(), expected.message);
    assert.equal(await part(page, 'text-mode-button').count(), 0, 'typing would not help here');
    assert.equal(await part(page, 'launcher').isVisible(), true, 'the launcher stays to retry');
    await context.close();
  });

  test('when the network drops mid-call, the widget shows reconnecting, then resumes the conversation', async () => {
    const context = await browser.newContext();
    const page = await openPage(
      context,
      `${stack.url}/__widget-test/network.html`,
      '<parley-voice persona="default" text-only></parley-voice>',
    );
    await part(page, 'launcher').click();
    await waitForTranscript(page, 'agent', persona.greeting);
    await waitForState(page, 'listening');

    // offline: the signal connection's pings go unanswered until LiveKit gives up on it
    const pingTimeout = page.waitForEvent('console', {
      predicate: (message) => /ping timeout/i.test(message.text()),
      timeout: 90_000,
    });
    await context.setOffline(true);
    await pingTimeout;
    await context.setOffline(false);
    await waitForState(page, 'reconnecting');
    assert.equal((await part(page, 'status').innerText()).trim(), 'Connection lost, reconnecting…');
    const states = async () =>
      (await detailsOf<{ state: string }>(page, 'parley-state')).map((d) => d.state);
    await waitUntil(
      page,
      async () => {
        const all = await states();
        return ['listening', 'thinking', 'speaking'].includes(all.at(-1) ?? '') &&
          all.includes('reconnecting')
          ? true
          : undefined;
      },
      async () => `the call did not resume: ${JSON.stringify(await parleyLog(page))}`,
      90_000,
    );

    // the conversation goes on in the same room
    const question = persona.knowledge.find((k) => k.question === 'Where are you located?');
    assert.ok(question);
    const input = part(page, 'composer').locator('input');
    await waitUntil(
      page,
      async () => ((await input.isEnabled()) ? true : undefined),
      () => 'the message box stayed disabled',
      30_000,
    );
    await input.fill(question.question);
    await input.press('Enter');
    await waitForTranscript(page, 'agent', question.answer);
    assert.deepEqual(await detailsOf(page, 'parley-error'), []);
    assert.deepEqual(await detailsOf(page, 'parley-ended'), []);
    assert.equal((await detailsOf(page, 'parley-connected')).length, 1);
    await page.locator('parley-voice').evaluate((el) => (el as ParleyVoiceApi).end());
    await waitForState(page, 'ended', 10_000);
    await context.close();
  });
});
