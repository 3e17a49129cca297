import type { Locator, Page } from 'playwright-core';
// `window.parleyStandIn`, for the suites' `page.evaluate` callbacks
import '../stand-in/stand-in-controls.js';

/** One `parley-*` event as the page recorded it. */
export interface LoggedEvent {
  type: string;
  detail: unknown;
}

declare global {
  interface Window {
    parleyLog: LoggedEvent[];
  }
}

/** A part of the page's `<parley-voice>` (Playwright's CSS locators pierce its shadow root). */
export function part(page: Page, name: string): Locator {
  return page.locator('parley-voice').locator(`[part~="${name}"]`);
}

/** Details of the recorded events of one type, oldest first. */
export function detailsOf<T>(page: Page, type: string): Promise<T[]> {
  return page.evaluate(
    (wanted) => window.parleyLog.filter((event) => event.type === wanted).map((e) => e.detail),
    type,
  ) as Promise<T[]>;
}

/** Every state the element reported through `parley-state`, in order. */
export async function statesOf(page: Page): Promise<string[]> {
  return (await detailsOf<{ state: string }>(page, 'parley-state')).map((detail) => detail.state);
}

/** Waits until the element reported `state`; the timeout is short, as nothing here is slow. */
export async function waitForState(page: Page, state: string, timeoutMs = 5_000): Promise<void> {
  try {
    await page.waitForFunction(
      (wanted) =>
        window.parleyLog.some(
          (event) =>
            event.type === 'parley-state' && (event.detail as { state: string }).state === wanted,
        ),
      state,
      { timeout: timeoutMs },
    );
  } catch (error) {
    throw new Error(`state "${state}" never came; states: ${(await statesOf(page)).join(' → ')}`, {
      cause: error,
    });
  }
}
