import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { CallEvent, Persona } from '@parley/contracts';
import { launchChromium } from '../support/browser.js';
import { callOfRoom, eventually, putPersona } from '../support/calls.js';
import { personaOf, testStack, type TestStack } from '../support/stack-env.js';
import {
  detailsOf,
  openWidgetPage,
  type ParleyVoiceApi,
  waitForState,
  waitForTranscript,
  waitUntil,
} from '../support/widget-page.js';

const PERSONA_ID = 'client-tools-e2e';
const CART_TOTAL = 'Your cart total is 42 dollars and 50 cents.';
const OUTAGE = 'the coupon service is down';

interface HandlerRun {
  name: string;
  args: Record<string, unknown>;
  callerIdentity: string;
}

declare global {
  interface Window {
    /** Every run of the page's client tool handlers. */
    toolRuns: HandlerRun[];
  }
}

let stack: TestStack;
let persona: Persona;
let browser: Browser;

before(async () => {
  stack = await testStack();
  persona = await personaOf(stack);
  await putPersona(stack, {
    ...persona,
    id: PERSONA_ID,
    name: 'Client tools test',
    clientTools: [
      {
        name: 'get_cart_total',
        description: "The total of the visitor's shopping cart",
        parameters: { type: 'object', properties: {} },
        phrases: ['cart total'],
      },
      {
        name: 'apply_coupon',
        description: "Applies the visitor's coupon to the cart",
        parameters: { type: 'object', properties: {} },
        phrases: ['coupon'],
      },
    ],
  });
  browser = await launchChromium(undefined, { allowLoopbackFromRoutedPages: true });
});

after(async () => {
  await browser?.close();
  await stack?.release();
});

/** A text-only call with the page's two tools registered, once the agent has greeted. */
async function startCall(): Promise<{ page: Page; roomName: string }> {
  const page = await openWidgetPage(
    browser,
    stack.url,
    'client-tools',
    `<parley-voice persona="${PERSONA_ID}" text-only></parley-voice>`,
  );
  await page.locator('parley-voice').evaluate(
    (el, { total, outage }) => {
      window.toolRuns = [];
      const widget = el as ParleyVoiceApi;
      widget.registerTool(
        'get_cart_total',
        { description: 'The cart total' },
        (args, { callerIdentity }) => {
          window.toolRuns.push({ name: 'get_cart_total', args, callerIdentity });
          return { message: total };
        },
      );
      widget.registerTool('apply_coupon', {}, (args, { callerIdentity }) => {
        window.toolRuns.push({ name: 'apply_coupon', args, callerIdentity });
        throw new Error(outage);
      });
      void widget.start();
    },
    { total: CART_TOTAL, outage: OUTAGE },
  );
  await waitForTranscript(page, 'agent', persona.greeting);
  await waitForState(page, 'listening');
  const [connected] = await detailsOf<{ roomName: string }>(page, 'parley-connected');
  assert.ok(connected);
  return { page, roomName: connected.roomName };
}

const say = (page: Page, text: string) =>
  page.locator('parley-voice').evaluate((el, t) => (el as ParleyVoiceApi).sendText(t), text);

const toolRuns = (page: Page) => page.evaluate(() => window.toolRuns);

describe('<parley-voice> client tools called by the agent', () => {
  test('when the visitor asks for what a page tool knows, then the agent calls it over RPC and says its answer; a failing tool is reported', async () => {
    const { page, roomName } = await startCall();

    await say(page, 'What is my cart total?');
    await waitForTranscript(page, 'agent', CART_TOTAL);
    const [run] = await toolRuns(page);
    assert.equal(run?.name, 'get_cart_total');
    assert.deepEqual(run?.args, {});
    assert.deepEqual(await detailsOf(page, 'parley-tool-call'), [
      { name: 'get_cart_total', args: {}, result: { message: CART_TOTAL } },
    ]);

    // the handler was called by the agent participant of this call
    const call = await eventually(
      'the agent joining in the call record',
      () => callOfRoom(stack, roomName) as Promise<{ events?: CallEvent[] }>,
      (record) => (record.events ?? []).some((e) => e.kind === 'agent'),
      30_000,
    );
    const agent = call.events?.find((e) => e.type === 'participant_joined' && e.kind === 'agent');
    assert.equal(run?.callerIdentity, agent?.identity);

    await say(page, 'Please apply my coupon.');
    const failed = await waitUntil(
      page,
      async () =>
        (await detailsOf<{ name: string; error?: string }>(page, 'parley-tool-call')).find(
          (d) => d.name === 'apply_coupon',
        ),
      () => 'apply_coupon never ran',
      60_000,
    );
    assert.match(failed.error ?? '', new RegExp(OUTAGE));
    await waitForTranscript(page, 'agent', "Sorry, that didn't work.");
    await waitForTranscript(page, 'agent', OUTAGE);
    assert.deepEqual(
      (await toolRuns(page)).map((r) => [r.name, r.callerIdentity]),
      [
        ['get_cart_total', agent?.identity],
        ['apply_coupon', agent?.identity],
      ],
    );
    assert.deepEqual(await detailsOf(page, 'parley-error'), []);
    await page.locator('parley-voice').evaluate((el) => (el as ParleyVoiceApi).end());
    await waitForState(page, 'ended', 10_000);
    await page.close();
  });
});
