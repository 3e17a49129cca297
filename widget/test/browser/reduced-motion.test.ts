import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { useStandInBrowser, type PageOptions } from './support/stand-in-browser.js';
import { part, waitForState } from './support/widget-page.js';

const browser = useStandInBrowser();

interface Motion {
  /** The state indicator's animation (it pulses while listening). */
  indicator: string;
  /** The level meters' transition. */
  meter: string;
  /** The launcher's transition (it lifts on hover). */
  launcher: string;
}

/** What moves in a call that is listening, as the visitor's system sets `prefers-reduced-motion`. */
async function motionInCall(reducedMotion: PageOptions['reducedMotion']): Promise<Motion> {
  const page = await browser.open('<parley-voice persona="stand-in"></parley-voice>', {
    reducedMotion,
  });
  const launcher = await part(page, 'launcher').evaluate((button) => {
    const style = getComputedStyle(button);
    return `${style.transitionProperty} ${style.transitionDuration}`;
  });
  await part(page, 'launcher').click();
  await waitForState(page, 'waiting-for-agent');
  await page.evaluate(() => window.parleyStandIn.agentJoins('listening'));
  await waitForState(page, 'listening');
  return { ...(await motionOf(page)), launcher };
}

async function motionOf(page: Page): Promise<Omit<Motion, 'launcher'>> {
  const indicator = await page
    .locator('parley-voice')
    .locator('.indicator')
    .evaluate((element) => getComputedStyle(element).animationName);
  const meter = await part(page, 'meters')
    .locator('.meter > span')
    .first()
    .evaluate((bar) => {
      const style = getComputedStyle(bar);
      return `${style.transitionProperty} ${style.transitionDuration}`;
    });
  return { indicator, meter };
}

describe('<parley-voice> honours prefers-reduced-motion', () => {
  test('without a preference, the state indicator pulses and the meters and launcher glide', async () => {
    assert.deepEqual(await motionInCall('no-preference'), {
      indicator: 'parley-pulse',
      meter: 'transform 0.15s',
      launcher: 'transform 0.12s',
    });
  });

  test('when the visitor asks for reduced motion, then nothing pulses or glides', async () => {
    assert.deepEqual(await motionInCall('reduce'), {
      indicator: 'none',
      meter: 'none 0s',
      launcher: 'none 0s',
    });
  });

  test("reduced motion also stills the indicator's blinking while the agent thinks", async () => {
    for (const [reducedMotion, expected] of [
      ['no-preference', 'parley-blink'],
      ['reduce', 'none'],
    ] as const) {
      await motionInCall(reducedMotion);
      const page = browser.page;
      await page.evaluate(() => window.parleyStandIn.setAgentState('thinking'));
      await waitForState(page, 'thinking');
      assert.equal((await motionOf(page)).indicator, expected, reducedMotion);
    }
  });
});
