import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { useStandInBrowser } from './support/stand-in-browser.js';
import { detailsOf, part, statesOf, waitForState } from './support/widget-page.js';

const browser = useStandInBrowser();

/** The `part` attribute of the element focused inside `<parley-voice>`'s shadow root. */
function focusedPart(page: Page): Promise<string | null | undefined> {
  return page.evaluate(() =>
    document.querySelector('parley-voice')?.shadowRoot?.activeElement?.getAttribute('part'),
  );
}

/** The focused control's `box-shadow`, and whether it matches `:focus-visible`. */
function focusLook(page: Page): Promise<{ boxShadow: string; focusVisible: boolean } | undefined> {
  return page.evaluate(() => {
    const focused = document.querySelector('parley-voice')?.shadowRoot?.activeElement;
    if (!focused) return undefined;
    return {
      boxShadow: getComputedStyle(focused).boxShadow,
      focusVisible: focused.matches(':focus-visible'),
    };
  });
}

/** `--parley-focus-ring` as computed: a 2 px gap in the surface colour, then 2 px of accent. */
const FOCUS_RING = /^rgb\([^)]*\) 0px 0px 0px 2px, rgb\([^)]*\) 0px 0px 0px 4px$/;

const PAGE = '<button id="before">Before</button><parley-voice persona="stand-in"></parley-voice>';

describe('<parley-voice> keyboard operation, against a stand-in session', () => {
  test('Tab reaches the launcher with a visible focus ring; Enter starts the call and focus moves to "End call"', async () => {
    const page = await browser.open(PAGE);
    const launcher = part(page, 'launcher');
    assert.doesNotMatch(
      await launcher.evaluate((button) => getComputedStyle(button).boxShadow),
      FOCUS_RING,
      'no ring before focus',
    );
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    assert.equal(await focusedPart(page), 'launcher');
    const look = await focusLook(page);
    assert.equal(look?.focusVisible, true);
    assert.match(look?.boxShadow ?? '', FOCUS_RING, 'the focused launcher shows the ring');

    await page.keyboard.press('Enter');
    await waitForState(page, 'waiting-for-agent');
    assert.equal(await launcher.count(), 0);
    assert.equal(await focusedPart(page), 'end-button', 'focus follows the removed launcher');
    assert.match((await focusLook(page))?.boxShadow ?? '', FOCUS_RING);
  });

  test('Space on the focused launcher starts the call', async () => {
    const page = await browser.open(PAGE);
    await part(page, 'launcher').focus();
    await page.keyboard.press('Space');
    await waitForState(page, 'waiting-for-agent');
    assert.deepEqual(await statesOf(page), [
      'requesting-microphone',
      'connecting',
      'waiting-for-agent',
    ]);
  });

  test('Escape hangs up from anywhere in the panel, and focus returns to the launcher', async () => {
    const page = await browser.open(PAGE);
    await part(page, 'launcher').focus();
    await page.keyboard.press('Enter');
    await waitForState(page, 'waiting-for-agent');
    await page.evaluate(() => window.parleyStandIn.agentJoins('listening'));
    await waitForState(page, 'listening');
    await page.locator('parley-voice').locator('#message').focus();

    await page.keyboard.press('Escape');
    await waitForState(page, 'ended');
    assert.deepEqual(await detailsOf(page, 'parley-ended'), [
      { reason: 'visitor', roomName: 'room-1' },
    ]);
    assert.equal(await focusedPart(page), 'launcher');
  });

  test('Escape outside a call does nothing, and does not reach the page while the call runs', async () => {
    const page = await browser.open(PAGE);
    await page.evaluate(() => {
      window.parleyLog.push({ type: 'marker', detail: null });
      document.addEventListener('keydown', (event) =>
        window.parleyLog.push({ type: 'page-keydown', detail: event.key }),
      );
    });
    await part(page, 'launcher').focus();
    await page.keyboard.press('Escape');
    assert.deepEqual(await statesOf(page), []);
    assert.deepEqual(await detailsOf(page, 'page-keydown'), ['Escape'], 'idle: the page sees it');

    await page.keyboard.press('Enter');
    await waitForState(page, 'waiting-for-agent');
    await page.keyboard.press('Escape');
    await waitForState(page, 'ended');
    assert.deepEqual(await detailsOf(page, 'page-keydown'), ['Escape', 'Enter']);
  });

  test('when the persona asks for consent, focus moves to "Accept", and Enter on it goes on to the microphone', async () => {
    browser.server.widgetConfig = { consent: { text: 'This call is recorded.', version: 'v1' } };
    const page = await browser.open(PAGE);
    await part(page, 'launcher').focus();
    await page.keyboard.press('Enter');
    await waitForState(page, 'consent');
    assert.equal(await part(page, 'consent-text').textContent(), 'This call is recorded.');
    assert.equal(await focusedPart(page), 'accept-button');
    assert.deepEqual(browser.server.sessionRequests, [], 'no session before consent');

    await page.keyboard.press('Enter');
    await waitForState(page, 'waiting-for-agent');
    assert.deepEqual(await statesOf(page), [
      'consent',
      'requesting-microphone',
      'connecting',
      'waiting-for-agent',
    ]);
    const [request] = browser.server.sessionRequests as Array<{
      consent?: { text: string; version: string; acceptedAt: string };
    }>;
    assert.equal(browser.server.sessionRequests.length, 1);
    assert.equal(request?.consent?.text, 'This call is recorded.');
    assert.equal(request?.consent?.version, 'v1');
  });
});
