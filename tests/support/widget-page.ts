import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';

/** Every DOM event `<parley-voice>` fires. */
export const PARLEY_EVENTS = [
  'parley-request-start',
  'parley-state',
  'parley-connected',
  'parley-transcript',
  'parley-ended',
  'parley-error',
  'parley-tool-call',
] as const;

export interface LoggedEvent {
  type: string;
  detail: unknown;
}

export interface TranscriptDetail {
  role: 'user' | 'agent';
  text: string;
  final: boolean;
  segmentId: string;
}

declare global {
  interface Window {
    parleyLog: LoggedEvent[];
  }
}

/**
 * The public API of `<parley-voice>` that the suites drive in the page. Cast to it inside
 * `evaluate` callbacks: `el => (el as ParleyVoiceApi).end()`.
 */
export interface ParleyVoiceApi extends HTMLElement {
  start(): Promise<void>;
  end(): Promise<void>;
  setMuted(muted: boolean): Promise<void>;
  sendText(text: string): Promise<void>;
  registerTool(
    name: string,
    schema: { description?: string; parameters?: Record<string, unknown> },
    handler: (args: Record<string, unknown>, context: { callerIdentity: string }) => unknown,
  ): () => void;
  readonly muted: boolean;
  readonly state: string;
  variables: Record<string, string | number | boolean>;
  textOnly: boolean;
}

/** Records every `parley-*` event that reaches `document` into `window.parleyLog`. */
export async function recordParleyEvents(page: Page): Promise<void> {
  await page.addInitScript((types: readonly string[]) => {
    window.parleyLog = [];
    for (const type of types) {
      document.addEventListener(type, (event) => {
        window.parleyLog.push({ type, detail: (event as CustomEvent).detail });
      });
    }
  }, PARLEY_EVENTS);
}

export function parleyLog(page: Page): Promise<LoggedEvent[]> {
  return page.evaluate(() => window.parleyLog);
}

/** Details of the logged events of one type, oldest first. */
export async function detailsOf<T>(page: Page, type: string): Promise<T[]> {
  return (await parleyLog(page)).filter((e) => e.type === type).map((e) => e.detail as T);
}

/** Polls `check` until it returns a value (not `undefined`); fails with `describe()` on timeout. */
export async function waitUntil<T>(
  page: Page,
  check: () => Promise<T | undefined>,
  describe: () => Promise<string> | string,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) assert.fail(await describe());
    await page.waitForTimeout(200);
  }
}

/** Waits until a `parley-state` event reported `state`. */
export async function waitForState(page: Page, state: string, timeoutMs = 60_000): Promise<void> {
  await waitUntil(
    page,
    async () =>
      (await detailsOf<{ state: string }>(page, 'parley-state')).some((d) => d.state === state)
        ? true
        : undefined,
    async () =>
      `state "${state}" never came; events: ${JSON.stringify(await parleyLog(page), null, 1)}`,
    timeoutMs,
  );
}

/** Latest text per segment of one role, as the page received it through `parley-transcript`. */
export async function transcriptOf(page: Page, role: 'user' | 'agent'): Promise<string> {
  const segments = new Map<string, string>();
  for (const detail of await detailsOf<TranscriptDetail>(page, 'parley-transcript')) {
    if (detail.role === role) segments.set(detail.segmentId, detail.text);
  }
  return [...segments.values()].join(' ');
}

export async function waitForTranscript(
  page: Page,
  role: 'user' | 'agent',
  text: string,
  timeoutMs = 60_000,
): Promise<void> {
  await waitUntil(
    page,
    async () => ((await transcriptOf(page, role)).includes(text) ? true : undefined),
    async () =>
      `"${text}" never appeared in the ${role} transcript: "${await transcriptOf(page, role)}"`,
    timeoutMs,
  );
}

/** A part of the (first) `<parley-voice>`'s shadow root, e.g. `part(page, 'launcher')`. */
export function part(page: Page, name: string, host = 'parley-voice'): Locator {
  return page.locator(host).first().locator(`[part~="${name}"]`);
}

/** Serves `html` at `url` (any origin) from the test, with extra response headers. */
export async function servePage(
  page: Page,
  url: string,
  html: string,
  headers: Record<string, string> = {},
): Promise<void> {
  await page.route(url, (route) =>
    route.fulfill({
      status: 200,
      headers: { 'content-type': 'text/html; charset=utf-8', ...headers },
      body: html,
    }),
  );
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

const require = createRequire(import.meta.url);

/**
 * Runs axe-core (WCAG 2.x A and AA rules) on the element matching `selector` and returns its
 * violations, summarised for an assertion message.
 */
export async function axeViolations(page: Page, selector: string): Promise<string[]> {
  const loaded = await page.evaluate(() => 'axe' in window);
  if (!loaded) await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const violations = await page.evaluate(async (context: string) => {
    const axe = (
      window as unknown as {
        axe: {
          run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[] }>;
        };
      }
    ).axe;
    const result = await axe.run(
      { include: [[context]] },
      {
        runOnly: {
          type: 'tag',
          values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'],
        },
        resultTypes: ['violations'],
      },
    );
    return result.violations;
  }, selector);
  return violations.map(
    (v) =>
      `${v.id} (${v.impact ?? 'n/a'}): ${v.help} — ${v.nodes
        .map((n) => `${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`)
        .join('; ')}`,
  );
}

export interface WidgetPageOptions {
  /** The page's `lang`. */
  lang?: string;
  /** Extra markup for the page's `<head>` (e.g. a page style). */
  head?: string;
  /** Runs on the new page before it loads (e.g. to add init scripts). */
  beforeLoad?: (page: Page) => Promise<void>;
}

/**
 * A new page of `browser` (or of one of its contexts) at `url` (any origin: the test serves it)
 * that loads the widget from the page's origin and holds `body`; `parley-*` events are recorded.
 * Resolves once the launcher shows.
 */
export async function openWidgetPageAt(
  browser: Browser | BrowserContext,
  url: string,
  title: string,
  body: string,
  { lang = 'en', head = '', beforeLoad }: WidgetPageOptions = {},
): Promise<Page> {
  const page = await browser.newPage();
  await recordParleyEvents(page);
  await beforeLoad?.(page);
  await servePage(
    page,
    url,
    `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${title}</title>${head}
    <script type="module" src="/widget/parley-voice.js"></script></head>
    <body><main><h1>Widget test</h1>${body}</main></body></html>`,
  );
  await page.goto(url);
  await part(page, 'launcher').waitFor({ state: 'visible', timeout: 15_000 });
  return page;
}

/**
 * {@link openWidgetPageAt} `${serverUrl}/__widget-test/${name}.html`: the server's own origin, so
 * every persona allows it.
 */
export function openWidgetPage(
  browser: Browser | BrowserContext,
  serverUrl: string,
  name: string,
  body: string,
  options: WidgetPageOptions = {},
): Promise<Page> {
  return openWidgetPageAt(browser, `${serverUrl}/__widget-test/${name}.html`, name, body, options);
}
