import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { Persona } from '@parley/contracts';
import { launchChromium } from '../support/browser.js';
import { personaOf, testStack, words, type TestStack } from '../support/stack-env.js';
import { padWithSilence, synthesize, writeWav } from '../support/wav.js';
import {
  detailsOf,
  openWidgetPage,
  part,
  transcriptOf,
  waitForTranscript,
} from '../support/widget-page.js';

const QUESTION = 'What are your opening hours?';
/** The question starts this long after the microphone opens. */
const SPEECH_STARTS_S = 0.2;
/**
 * How long the page's session request is held back: the question is over before the widget can
 * even join the room, so the agent can only hear it from the pre-connect buffer.
 */
const SESSION_HELD_MS = 4_000;

let stack: TestStack;
let persona: Persona;
let browser: Browser;
let questionSeconds: number;

before(async () => {
  stack = await testStack();
  persona = await personaOf(stack);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-widget-preconnect-'));
  const question = await synthesize(QUESTION, path.join(dir, 'question.wav'));
  questionSeconds = question.samples.length / question.sampleRate;
  // the fake microphone starts playing when the call opens it: the visitor speaks at once
  const mic = path.join(dir, 'mic.wav');
  await writeWav(mic, padWithSilence(question, SPEECH_STARTS_S, 40));
  browser = await launchChromium(mic, { allowLoopbackFromRoutedPages: true });
});

after(async () => {
  await browser?.close();
  await stack?.release();
});

test('when the visitor speaks before the agent has joined, then the first words still reach the agent', async () => {
  assert.ok(
    (SPEECH_STARTS_S + questionSeconds) * 1000 < SESSION_HELD_MS - 1000,
    'the question must end well before the session answer is let through',
  );
  const page = await openWidgetPage(
    browser,
    stack.url,
    'preconnect',
    '<parley-voice persona="default"></parley-voice>',
  );
  // the microphone opens before the session request: hold the answer while the visitor speaks
  await page.route(`${stack.url}/v1/sessions`, async (route) => {
    const response = await route.fetch();
    await new Promise((resolve) => setTimeout(resolve, SESSION_HELD_MS));
    await route.fulfill({ response });
  });
  await part(page, 'launcher').click();

  const expected = persona.knowledge.find((k) => k.question === QUESTION);
  assert.ok(expected);
  await waitForTranscript(page, 'agent', expected.answer, 90_000);
  const heard = words(await transcriptOf(page, 'user'));
  assert.ok(heard.includes('hours'), `user transcript "${heard.join(' ')}" lacks "hours"`);
  assert.deepEqual(await detailsOf(page, 'parley-error'), []);
  await page.close();
});
