import assert from 'node:assert/strict';
import { mkdir, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { ConsentReceipt, Persona } from '@parley/contracts';
import { launchChromium } from '../support/browser.js';
import { callOfRoom, eventually, putPersona } from '../support/calls.js';
import { personaOf, testStack, type TestStack } from '../support/stack-env.js';
import { writeWav } from '../support/wav.js';
import {
  axeViolations,
  detailsOf,
  openWidgetPage,
  type ParleyVoiceApi,
  part,
  waitForState,
  waitForTranscript,
} from '../support/widget-page.js';

const SCREENSHOTS = path.resolve(import.meta.dirname, '../artifacts/screenshots');
const PERSONA_ID = 'consent-e2e';
const CONSENT_TEXT = 'This call is with an AI assistant and is recorded. Do you agree?';

declare global {
  interface Window {
    /** How often the page asked for the microphone. */
    microphoneRequests: number;
  }
}

let stack: TestStack;
let persona: Persona;
let browser: Browser;

/** The default persona, asking for consent to `text` in version `version`. */
function consentPersona(base: Persona, version: string, text = CONSENT_TEXT): Persona {
  return {
    ...base,
    id: PERSONA_ID,
    name: 'Consent test',
    disclosure: {
      ...base.disclosure,
      requireConsent: true,
      consentText: text,
      consentVersion: version,
    },
  };
}

before(async () => {
  stack = await testStack();
  persona = await personaOf(stack);
  await putPersona(stack, consentPersona(persona, '7'));
  // a silent microphone: the agent must not hear anything in these calls
  const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-widget-consent-'));
  const mic = path.join(dir, 'silence.wav');
  await writeWav(mic, { sampleRate: 16_000, samples: new Int16Array(16_000 * 60) });
  browser = await launchChromium(mic, { allowLoopbackFromRoutedPages: true });
  await mkdir(SCREENSHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await stack?.release();
});

/** A widget page for the consent persona that counts its microphone requests. */
async function openConsentPage(name: string, lang: string): Promise<Page> {
  const context = await browser.newContext();
  await context.addInitScript(() => {
    window.microphoneRequests = 0;
    const devices = navigator.mediaDevices;
    const getUserMedia = devices.getUserMedia.bind(devices);
    devices.getUserMedia = (constraints) => {
      window.microphoneRequests += 1;
      return getUserMedia(constraints);
    };
  });
  return openWidgetPage(
    context,
    stack.url,
    name,
    `<parley-voice persona="${PERSONA_ID}"></parley-voice>`,
    { lang },
  );
}

const microphoneRequests = (page: Page) => page.evaluate(() => window.microphoneRequests);

/** The `part` attribute of the element focused inside the widget's shadow root. */
const focusedPart = (page: Page) =>
  page
    .locator('parley-voice')
    .evaluate((el) => el.shadowRoot?.activeElement?.getAttribute('part') ?? null);

const states = async (page: Page) =>
  (await detailsOf<{ state: string }>(page, 'parley-state')).map((d) => d.state);

describe('<parley-voice> consent before the microphone', () => {
  test('when the persona asks for consent, then the panel asks first, and declining opens no microphone', async () => {
    const page = await openConsentPage('consent-declined', 'fr');
    await part(page, 'launcher').click();
    await waitForState(page, 'consent', 20_000);

    assert.equal((await part(page, 'consent-text').innerText()).trim(), CONSENT_TEXT);
    assert.equal((await part(page, 'accept-button').innerText()).trim(), 'Accepter');
    assert.equal((await part(page, 'decline-button').innerText()).trim(), 'Refuser');
    assert.equal(await focusedPart(page), 'accept-button', 'focus moves to the consent step');
    assert.equal(await part(page, 'end-button').count(), 0, 'declining is the way out');
    assert.equal(await microphoneRequests(page), 0, 'no microphone before consent');
    const violations = await axeViolations(page, 'parley-voice');
    assert.deepEqual(violations, [], violations.join('\n'));
    await page.screenshot({ path: path.join(SCREENSHOTS, 'widget-consent.png') });

    await part(page, 'decline-button').click();
    await waitForState(page, 'idle', 10_000);
    assert.deepEqual(await states(page), ['consent', 'idle']);
    assert.equal(await part(page, 'panel').count(), 0);
    assert.equal(await focusedPart(page), 'launcher', 'focus returns to the launcher');
    assert.equal(await microphoneRequests(page), 0, 'declining asks for no microphone');
    assert.deepEqual(await detailsOf(page, 'parley-error'), []);
    await page.context().close();
  });

  test('when the visitor accepts by keyboard, then the call starts and the call record keeps the acceptance; a changed wording is asked again', async () => {
    const page = await openConsentPage('consent-accepted', 'en');
    await part(page, 'launcher').focus();
    await page.keyboard.press('Enter');
    await waitForState(page, 'consent', 20_000);
    assert.equal(await focusedPart(page), 'accept-button');
    const before = Date.now();
    await page.keyboard.press('Enter');

    await waitForTranscript(page, 'agent', persona.greeting);
    assert.equal(await microphoneRequests(page), 1);
    assert.deepEqual((await states(page)).slice(0, 4), [
      'consent',
      'requesting-microphone',
      'connecting',
      'waiting-for-agent',
    ]);
    const [connected] = await detailsOf<{ roomName: string }>(page, 'parley-connected');
    assert.ok(connected);
    await page.locator('parley-voice').evaluate((el) => (el as ParleyVoiceApi).end());
    await waitForState(page, 'ended', 10_000);

    const call = await eventually(
      'the consent receipt on the call record',
      () => callOfRoom(stack, connected.roomName) as Promise<{ consent?: ConsentReceipt }>,
      (record) => record.consent !== undefined,
      30_000,
    );
    assert.equal(call.consent?.textVersion, '7');
    assert.equal(call.consent?.text, CONSENT_TEXT);
    const acceptedAt = Date.parse(call.consent?.acceptedAt ?? '');
    assert.ok(acceptedAt >= before - 1000 && acceptedAt <= Date.now(), call.consent?.acceptedAt);

    // the wording changes: the acceptance this page remembers is refused, then asked for anew
    const newText = 'This call is with an AI assistant, recorded and kept for 30 days. Agree?';
    await putPersona(stack, consentPersona(persona, '8', newText));
    await part(page, 'launcher').click();
    await waitForState(page, 'error', 20_000);
    const [refusal] = await detailsOf<{ code: string }>(page, 'parley-error');
    assert.equal(refusal?.code, 'consent_outdated');
    await part(page, 'launcher').click();
    await page.waitForFunction(
      () => (document.querySelector('parley-voice') as ParleyVoiceApi | null)?.state === 'consent',
    );
    assert.equal((await part(page, 'consent-text').innerText()).trim(), newText);
    // the refused call opened the microphone under the remembered acceptance; asking anew does not
    assert.equal(await microphoneRequests(page), 2);
    await page.locator('parley-voice').evaluate((el) => (el as ParleyVoiceApi).end());
    await waitForState(page, 'idle', 10_000);
    await page.context().close();
  });
});
