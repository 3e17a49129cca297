import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { en } from '../../src/i18n/en.js';
import { fr } from '../../src/i18n/fr.js';
import { useStandInBrowser } from './support/stand-in-browser.js';
import { detailsOf, part, waitForState } from './support/widget-page.js';

const browser = useStandInBrowser();

/** Starts a call and lets the stand-in agent join, listening. */
async function inConversation(body = '<parley-voice persona="stand-in"></parley-voice>') {
  const page = await browser.open(body);
  await part(page, 'launcher').click();
  await waitForState(page, 'waiting-for-agent');
  await page.evaluate(() => window.parleyStandIn.agentJoins('listening'));
  await waitForState(page, 'listening');
  return page;
}

/** The lines of the transcript live region, as a screen reader would read them. */
function transcriptLines(page: Page): Promise<string[]> {
  return part(page, 'transcript')
    .locator('li')
    .evaluateAll((lines) =>
      lines.map((line) => (line.textContent ?? '').replace(/\s+/g, ' ').trim()),
    );
}

describe('<parley-voice> ARIA live regions, against a stand-in session', () => {
  test("the transcript is a polite live region that receives the agent's and the visitor's lines as they come", async () => {
    const page = await inConversation();
    const transcript = part(page, 'transcript');
    assert.equal(await transcript.getAttribute('aria-live'), 'polite');
    assert.equal(await transcript.getAttribute('aria-label'), en.transcript);
    assert.deepEqual(await transcriptLines(page), []);

    await page.evaluate(() =>
      window.parleyStandIn.transcribe({
        role: 'agent',
        text: 'Hello, how can I help?',
        chunks: ['Hello, ', 'how can ', 'I help?'],
      }),
    );
    // the visitor's words: an interim line, then the final one of the same segment replaces it
    await page.evaluate(() =>
      window.parleyStandIn.transcribe({ role: 'user', text: 'I would', segmentId: 'visitor-1' }),
    );
    assert.deepEqual(await transcriptLines(page), [
      `${en.assistant} Hello, how can I help?`,
      `${en.you} I would`,
    ]);
    await page.evaluate(() =>
      window.parleyStandIn.transcribe({
        role: 'user',
        text: 'I would like a table for two.',
        segmentId: 'visitor-1',
        final: true,
      }),
    );
    assert.deepEqual(await transcriptLines(page), [
      `${en.assistant} Hello, how can I help?`,
      `${en.you} I would like a table for two.`,
    ]);
    assert.deepEqual(
      (await detailsOf<{ role: string; text: string; final: boolean }>(page, 'parley-transcript'))
        .filter((line) => line.final)
        .map((line) => `${line.role}: ${line.text}`),
      ['agent: Hello, how can I help?', 'user: I would like a table for two.'],
    );
  });

  test('a typed message goes to the agent on lk.chat and into the live region', async () => {
    const page = await inConversation();
    const message = page.locator('parley-voice').locator('#message');
    await message.fill('Are you open on Sunday?');
    await message.press('Enter');
    await page.waitForFunction(() => window.parleyStandIn.sentTexts.length > 0);

    assert.deepEqual(await page.evaluate(() => window.parleyStandIn.sentTexts), [
      { topic: 'lk.chat', text: 'Are you open on Sunday?' },
    ]);
    assert.deepEqual(await transcriptLines(page), [`${en.you} Are you open on Sunday?`]);
    assert.equal(await message.inputValue(), '', 'the box is emptied once sent');
  });

  test('the status line is a status region that says each state; errors are alerts', async () => {
    const page = await inConversation(
      '<parley-voice persona="stand-in" agent-timeout="30"></parley-voice>',
    );
    const status = part(page, 'status');
    assert.equal(await status.getAttribute('role'), 'status');
    assert.equal(await status.textContent(), en.status.listening);
    await page.evaluate(() => window.parleyStandIn.setAgentState('thinking'));
    await waitForState(page, 'thinking');
    assert.equal(await status.textContent(), en.status.thinking);

    await page.evaluate(() => window.parleyStandIn.dropConnection());
    await waitForState(page, 'error');
    assert.equal(await status.textContent(), en.status.error);
    assert.equal(await part(page, 'error').getAttribute('role'), 'alert');
  });

  test("the panel is labelled and in the widget's language (here French)", async () => {
    const page = await browser.open('<parley-voice persona="stand-in" lang="fr"></parley-voice>');
    await part(page, 'launcher').click();
    await waitForState(page, 'waiting-for-agent');
    const panel = part(page, 'panel');
    assert.equal(await panel.getAttribute('lang'), 'fr');
    assert.equal(await panel.getAttribute('aria-label'), fr.panel);
    assert.equal(await part(page, 'status').textContent(), fr.status['waiting-for-agent']);
    assert.equal(await part(page, 'transcript').getAttribute('aria-label'), fr.transcript);
  });
});
