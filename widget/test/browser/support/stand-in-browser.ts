import { after, afterEach, before } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { StandInServer } from './stand-in-server.js';
import { bundleWidgetWithStandInRoom } from './widget-bundle.js';

/** Debian's Chromium, as the end-to-end suites use it (`tests/support/browser.ts`). */
export const CHROMIUM = process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium';

/** What a test page is opened with. */
export interface PageOptions {
  /** The visitor allows the microphone (a fake device), or blocks it. Default `allow`. */
  microphone?: 'allow' | 'deny';
  /** `prefers-reduced-motion`, as the visitor's system sets it. Default `no-preference`. */
  reducedMotion?: 'reduce' | 'no-preference';
}

/**
 * One Chromium, one page and one stand-in server per process; every test opens a fresh document
 * in that page (a new page costs a renderer process, a second or so on this machine). Headless,
 * with a fake microphone device and the same flags as the end-to-end suites' `launchChromium`
 * (they keep it from reaching for Google's services on this offline machine).
 */
export class StandInBrowser {
  private constructor(
    readonly server: StandInServer,
    readonly browser: Browser,
    readonly context: BrowserContext,
    readonly page: Page,
  ) {}

  static async start(): Promise<StandInBrowser> {
    const [server, browser] = await Promise.all([
      bundleWidgetWithStandInRoom().then((bundle) => StandInServer.start(bundle)),
      chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--autoplay-policy=no-user-gesture-required',
          '--disable-features=WebRtcHideLocalIpsWithMdns',
          '--use-fake-device-for-media-stream',
        ],
      }),
    ]);
    const context = await browser.newContext();
    return new StandInBrowser(server, browser, context, await context.newPage());
  }

  /**
   * Opens a fresh document holding `body` (with the widget bundle) and waits for `<parley-voice>`
   * to be defined. Without a grant, Chromium answers the microphone prompt with "block".
   */
  async open(body: string, options: PageOptions = {}): Promise<Page> {
    const { context, page } = this;
    await context.clearPermissions();
    if (options.microphone !== 'deny') {
      await context.grantPermissions(['microphone'], { origin: this.server.origin });
    }
    await page.emulateMedia({ reducedMotion: options.reducedMotion ?? 'no-preference' });
    await page.goto(this.server.page(body));
    await page.waitForFunction(() => customElements.get('parley-voice') !== undefined);
    return page;
  }

  /** Leaves the test's document (hanging up its call) and forgets what the server was asked. */
  async reset(): Promise<void> {
    await this.page.goto('about:blank');
    this.server.reset();
  }

  async close(): Promise<void> {
    await Promise.all([this.browser.close(), this.server.close()]);
  }
}

/** What a suite uses of the process's {@link StandInBrowser}. */
export type SuiteBrowser = Pick<StandInBrowser, 'server' | 'page' | 'open'>;

let running: StandInBrowser | undefined;

function started(): StandInBrowser {
  if (!running) throw new Error('the stand-in browser starts in a before() hook: use it in tests');
  return running;
}

// Registered once, on the root test, whichever suite file imports this first: the suites that
// `index.ts` runs in one process share one Chromium; a suite file run alone gets its own.
before(async () => {
  running = await StandInBrowser.start();
});
afterEach(() => started().reset());
after(() => running?.close());

/** The stand-in browser of this process, started before the first test and reset after each. */
export function useStandInBrowser(): SuiteBrowser {
  return {
    get server() {
      return started().server;
    },
    get page() {
      return started().page;
    },
    open: (body, options) => started().open(body, options),
  };
}
