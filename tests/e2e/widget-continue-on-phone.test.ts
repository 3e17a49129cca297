/**
 * "Continue on my phone" in the real widget (Chromium) against the real stack: the offer follows
 * the persona, the number form is keyboard operable with its problems announced, the server's
 * refusals come back with next steps, and a real SIP phone (baresip) answering takes the call
 * over: the page leaves the room and says so, without an error.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { RoomServiceClient } from 'livekit-server-sdk';
import type { Persona } from '@parley/contracts';
import { launchChromium } from '../support/browser.js';
import { eventually } from '../support/calls.js';
import { SipPhone } from '../support/sip-phone.js';
import { personaOf, testStack, type TestStack } from '../support/stack-env.js';
import { writeWav } from '../support/wav.js';
import {
  axeViolations,
  detailsOf,
  openWidgetPage,
  parleyLog,
  part,
  waitForState,
} from '../support/widget-page.js';

const SCREENSHOTS = path.resolve(import.meta.dirname, '../artifacts/screenshots');
/** Unique per run: the suite may share a stack (and its database) with earlier runs. */
const RUN = Date.now().toString(36);
const SLUG = `cop-${RUN}`;
const DIGITS = String(Date.now() % 10_000).padStart(4, '0');
const VISITOR_PHONE = `+1555820${DIGITS}`;
const DO_NOT_CALL = `+1555830${DIGITS}`;

declare global {
  interface Window {
    microphoneTracks: MediaStreamTrack[];
  }
}

let stack: TestStack;
let browser: Browser;
let phone: SipPhone;
let tenantKey: string;

/** The tenant's own admin API (its numbers, trunk and policy are no other suite's business). */
async function tenantApi<T>(route: string, method: string, body?: unknown): Promise<T> {
  const res = await fetch(`${stack.url}${route}`, {
    method,
    headers: { authorization: `Bearer ${tenantKey}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  assert.ok(res.ok, `${method} ${route} → ${res.status} ${text}`);
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

before(async () => {
  stack = await testStack();
  const base = await personaOf(stack);
  const res = await fetch(`${stack.url}/v1/tenants`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${stack.secrets.adminKey}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ slug: SLUG, name: 'Continue on phone' }),
  });
  assert.equal(res.status, 201, await res.clone().text());
  tenantKey = ((await res.json()) as { apiKey: { key: string } }).apiKey.key;
  const persona = (id: string, continueOnPhone: boolean): Persona => ({
    ...base,
    id,
    name: id,
    allowedOrigins: [],
    phone: { ...base.phone, continueOnPhone },
  });
  await tenantApi('/v1/personas', 'POST', persona('handover', true));
  await tenantApi('/v1/personas', 'POST', persona('web-only', false));

  phone = await SipPhone.start({ number: VISITOR_PHONE });
  await tenantApi('/v1/outbound-trunks/visitors', 'PUT', {
    address: phone.address,
    numbers: ['+15550300009'],
  });
  await tenantApi('/v1/dial-policy', 'PUT', {
    allowedPrefixes: ['+1555'],
    maxConcurrentPhoneCalls: 5,
  });
  await tenantApi(`/v1/do-not-call/${encodeURIComponent(DO_NOT_CALL)}`, 'PUT', {
    reason: 'asked not to be called',
  });

  // a silent microphone: the agent must not hear anything in these calls
  const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-widget-phone-'));
  const mic = path.join(dir, 'silence.wav');
  await writeWav(mic, { sampleRate: 16_000, samples: new Int16Array(16_000 * 120) });
  browser = await launchChromium(mic, { allowLoopbackFromRoutedPages: true });
  await mkdir(SCREENSHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await phone?.stop();
  await stack?.release();
});

/** A page with the widget for one of the tenant's personas, in a call with the agent listening. */
async function inCall(name: string, personaId: string, lang = 'en'): Promise<Page> {
  const context = await browser.newContext();
  // keeps the microphone tracks the page opens, to check they are stopped
  await context.addInitScript(() => {
    const devices = navigator.mediaDevices;
    const getUserMedia = devices.getUserMedia.bind(devices);
    window.microphoneTracks = [];
    devices.getUserMedia = async (constraints) => {
      const stream = await getUserMedia(constraints);
      window.microphoneTracks.push(...stream.getAudioTracks());
      return stream;
    };
  });
  const page = await openWidgetPage(
    context,
    stack.url,
    name,
    `<parley-voice persona="${SLUG}/${personaId}"></parley-voice>`,
    { lang },
  );
  await page.evaluate(() => {
    document.addEventListener('parley-continued-on-phone', (event) => {
      window.parleyLog.push({
        type: 'parley-continued-on-phone',
        detail: (event as CustomEvent).detail,
      });
    });
  });
  await part(page, 'launcher').click();
  await waitForState(page, 'listening', 60_000);
  // the server moves a call to a phone once the agent has recorded it
  const [connected] = await detailsOf<{ roomName: string }>(page, 'parley-connected');
  await eventually(
    'the call record',
    () => tenantApi<{ items: Array<{ roomName: string }> }>('/v1/calls?limit=20', 'GET'),
    (page) => page.items.some((call) => call.roomName === connected?.roomName),
    30_000,
  );
  return page;
}

/** What the element's shadow root has focused: its `part`, else its `id`. */
const focused = (page: Page) =>
  page.locator('parley-voice').evaluate((el) => {
    const active = el.shadowRoot?.activeElement;
    return active?.getAttribute('part') ?? active?.id ?? null;
  });

const stateNow = (page: Page) =>
  page.locator('parley-voice').evaluate((el) => el.getAttribute('state'));

describe('<parley-voice> continue on my phone', () => {
  test('when the persona does not allow it, then the call offers no phone', async () => {
    const page = await inCall('phone-not-offered', 'web-only');
    // the offer would be there by now: it renders with the conversation's first state
    await part(page, 'mute-button').waitFor();
    assert.equal(await part(page, 'phone-button').count(), 0);
    await part(page, 'end-button').click();
    await page.context().close();
  });

  test('the number form is keyboard operable, announces its problems, and Escape leaves it, not the call', async () => {
    const page = await inCall('phone-form', 'handover');
    const offer = part(page, 'phone-button');
    await offer.focus();
    await page.keyboard.press('Enter');
    await part(page, 'phone-form').waitFor();
    assert.equal(await focused(page), 'phone', 'focus moves to the number field');
    const field = part(page, 'phone-form').getByLabel('Your phone number');
    assert.equal(await field.getAttribute('type'), 'tel');
    assert.match(
      (await field.evaluate((input) => input.getAttribute('aria-describedby'))) ?? '',
      /phone-hint/,
    );

    await page.keyboard.type('0612345678');
    await page.keyboard.press('Enter');
    const problem = part(page, 'phone-problem');
    await problem.filter({ hasText: 'international format' }).waitFor();
    assert.equal(await problem.getAttribute('role'), 'alert');
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    assert.equal(await focused(page), 'phone', 'focus stays on the field to correct it');
    const violations = await axeViolations(page, 'parley-voice');
    assert.deepEqual(violations, [], violations.join('\n'));
    await page.screenshot({ path: path.join(SCREENSHOTS, 'widget-continue-on-phone-form.png') });

    await page.keyboard.press('Escape');
    await part(page, 'phone-form').waitFor({ state: 'detached' });
    assert.equal(await focused(page), 'phone-button', 'focus returns to the offer');
    assert.match((await stateNow(page)) ?? '', /^(listening|thinking|speaking)$/, 'still in call');
    assert.deepEqual(await detailsOf(page, 'parley-error'), []);
    await part(page, 'end-button').click();
    await page.context().close();
  });

  test('when the server refuses the number, then the reason and what to do next are shown, in the page’s language, and the call goes on', async () => {
    const page = await inCall('phone-refused', 'handover', 'fr');
    await part(page, 'phone-button').click();
    const field = part(page, 'phone-form').getByLabel('Votre numéro de téléphone');
    for (const [number, expected] of [
      [DO_NOT_CALL, /Nous ne pouvons pas appeler ce numéro/],
      ['+33612345678', /Nous ne pouvons pas appeler les numéros de ce pays/],
    ] as const) {
      await field.fill(number);
      await field.press('Enter');
      await page.locator('parley-voice').getByText(`Nous allons appeler le ${number}`).waitFor();
      assert.equal(await focused(page), 'phone-call-button');
      await page.keyboard.press('Enter');
      await part(page, 'phone-problem').filter({ hasText: expected }).waitFor();
      assert.equal(await field.inputValue(), number, 'the number stays to be corrected');
    }
    assert.match((await stateNow(page)) ?? '', /^(listening|thinking|speaking)$/);
    assert.deepEqual(await detailsOf(page, 'parley-error'), []);
    await part(page, 'end-button').click();
    await page.context().close();
  });

  test('when the visitor’s phone answers, then the page leaves the room and says the call continues on the phone', async () => {
    const page = await inCall('phone-handover', 'handover');
    const [connected] = await detailsOf<{ roomName: string; identity: string }>(
      page,
      'parley-connected',
    );
    assert.ok(connected);
    await part(page, 'phone-button').click();
    // spaces and dashes are only layout
    const spaced = `${VISITOR_PHONE.slice(0, 2)} ${VISITOR_PHONE.slice(2, 5)}-${VISITOR_PHONE.slice(5)}`;
    await part(page, 'phone-form').getByLabel('Your phone number').fill(spaced);
    await part(page, 'phone-form').getByRole('button', { name: 'Continue' }).click();
    await page.locator('parley-voice').getByText(`We will call ${VISITOR_PHONE} now.`).waitFor();
    await part(page, 'phone-call-button').click();
    await part(page, 'phone-status').filter({ hasText: 'Calling your phone…' }).waitFor();

    await phone.waitFor('CALL_ESTABLISHED', 30_000);
    await waitForState(page, 'continued-on-phone', 30_000);
    assert.equal((await part(page, 'status').innerText()).trim(), 'Continued on your phone');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'widget-continued-on-phone.png') });

    const log = (await parleyLog(page)).filter((e) =>
      ['parley-continued-on-phone', 'parley-ended', 'parley-error'].includes(e.type),
    );
    assert.deepEqual(log, [
      {
        type: 'parley-continued-on-phone',
        detail: { roomName: connected.roomName, phoneNumber: VISITOR_PHONE },
      },
      {
        type: 'parley-ended',
        detail: { reason: 'continued-on-phone', roomName: connected.roomName },
      },
    ]);
    const microphones = await page.evaluate(() => window.microphoneTracks.map((t) => t.readyState));
    assert.ok(microphones.length > 0, 'the call had a microphone');
    assert.deepEqual(new Set(microphones), new Set(['ended']), 'the microphone is off');
    // the launcher is back for a new call; the panel's end button is gone
    await part(page, 'launcher').waitFor();
    assert.equal(await part(page, 'end-button').count(), 0);

    // in LiveKit: the browser left, the phone leg stays in the same room
    const rooms = new RoomServiceClient(
      stack.livekitUrl.replace(/^ws/, 'http'),
      stack.secrets.livekitApiKey,
      stack.secrets.livekitApiSecret,
    );
    const participants = await eventually(
      'the browser leaving the room',
      () => rooms.listParticipants(connected.roomName),
      (list) => !list.some((p) => p.identity === connected.identity),
      15_000,
    );
    const leg = participants.find((p) => p.attributes['parley.leg'] === 'continue-on-phone');
    assert.ok(leg, `no phone leg among ${participants.map((p) => p.identity).join(', ')}`);
    assert.equal(leg.attributes['sip.callStatus'], 'active');

    // one call record, now with the phone leg answered
    const { items } = await tenantApi<{ items: Array<{ id: string; roomName: string }> }>(
      '/v1/calls?limit=20',
      'GET',
    );
    const callId = items.find((call) => call.roomName === connected.roomName)?.id ?? '';
    await eventually(
      'the answered phone leg on the call record',
      () =>
        tenantApi<{ legs: Array<{ kind: string; phoneNumber?: string; status?: string }> }>(
          `/v1/calls/${encodeURIComponent(callId)}`,
          'GET',
        ),
      (call) =>
        call.legs.some(
          (l) => l.kind === 'phone' && l.phoneNumber === VISITOR_PHONE && l.status === 'answered',
        ),
      15_000,
    );
    await phone.hangup();
    await page.context().close();
  });
});
