import assert from 'node:assert/strict';
import { mkdir, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Persona } from '@parley/contracts';
import { launchChromium } from '../support/browser.js';
import { personaOf, testStack, words, type TestStack } from '../support/stack-env.js';
import { padWithSilence, synthesize, writeWav } from '../support/wav.js';

const QUESTION = 'What are your opening hours?';
const SCREENSHOTS = path.resolve(import.meta.dirname, '../artifacts/screenshots');

interface TranscriptDetail {
  role: 'user' | 'agent';
  text: string;
  final: boolean;
  segmentId: string;
}

declare global {
  interface Window {
    parleyLog: { type: string; detail: unknown }[];
  }
}

let stack: TestStack;
let persona: Persona;
let browser: Browser;

before(async () => {
  stack = await testStack();
  persona = await personaOf(stack);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-browser-'));
  const question = await synthesize(QUESTION, path.join(dir, 'question.wav'));
  // The fake microphone starts when the call starts: stay quiet through the greeting, then ask.
  const mic = path.join(dir, 'mic.wav');
  await writeWav(mic, padWithSilence(question, 10, 40));
  browser = await launchChromium(mic);
  await mkdir(SCREENSHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await stack.release();
});

/** Latest text per segment, as the page received it through `parley-transcript` events. */
async function transcript(page: Page, role: 'user' | 'agent'): Promise<string> {
  const log = await page.evaluate(() => window.parleyLog);
  const segments = new Map<string, string>();
  for (const entry of log) {
    if (entry.type !== 'parley-transcript') continue;
    const detail = entry.detail as TranscriptDetail;
    if (detail.role === role) segments.set(detail.segmentId, detail.text);
  }
  return [...segments.values()].join(' ');
}

async function waitForTranscript(
  page: Page,
  role: 'user' | 'agent',
  text: string,
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await transcript(page, role)).includes(text)) return;
    await page.waitForTimeout(250);
  }
  assert.fail(
    `"${text}" never appeared in the ${role} transcript: "${await transcript(page, role)}"`,
  );
}

test('in Chromium, clicking the widget starts a call: the greeting and the spoken answer appear', async () => {
  const page = await browser.newPage();
  await page.addInitScript(() => {
    window.parleyLog = [];
    for (const type of ['parley-state', 'parley-transcript', 'parley-error']) {
      document.addEventListener(type, (e) => {
        window.parleyLog.push({ type, detail: (e as CustomEvent).detail });
      });
    }
  });
  await page.goto(`${stack.url}/`);
  const launcher = page.locator('parley-voice').locator('[part~="launcher"]');
  await launcher.waitFor({ state: 'visible', timeout: 15_000 });
  await launcher.click();

  await waitForTranscript(page, 'agent', persona.greeting, 60_000);
  const expected = persona.knowledge.find((k) => k.question === QUESTION);
  assert.ok(expected);
  await waitForTranscript(page, 'agent', expected.answer, 60_000);

  const heard = words(await transcript(page, 'user'));
  assert.ok(heard.includes('hours'), `user transcript "${heard.join(' ')}" lacks "hours"`);
  const shown = await page.locator('parley-voice').locator('[part~="transcript"]').innerText();
  assert.ok(shown.includes(expected.answer), `the panel shows: ${shown}`);
  const errors = (await page.evaluate(() => window.parleyLog)).filter(
    (e) => e.type === 'parley-error',
  );
  assert.deepEqual(errors, []);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'call-answered.png') });
  await page.close();
});
