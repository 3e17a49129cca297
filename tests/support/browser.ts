import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium';

export interface ChromiumOptions {
  /**
   * A fake microphone device even without `micWav`: `allow` grants it without a prompt (as with a
   * `micWav`), `deny` answers every permission prompt with "block", as a visitor who refuses the
   * microphone would.
   */
  microphone?: 'allow' | 'deny';
  /**
   * Pages the test serves itself (Playwright `page.route`) have no IP address, so Chromium's
   * Local Network Access checks treat them as public and block their requests to loopback
   * (LiveKit, the Parley server). This turns those checks off.
   */
  allowLoopbackFromRoutedPages?: boolean;
}

/**
 * Debian's Chromium, headless, with a fake microphone that plays `micWav` once (or, without a WAV,
 * no microphone flags at all unless `options.microphone` asks for them). The network flags keep it
 * from reaching for Google's services on this offline machine.
 */
export function launchChromium(micWav?: string, options: ChromiumOptions = {}): Promise<Browser> {
  const media: string[] = [];
  if (micWav || options.microphone) media.push('--use-fake-device-for-media-stream');
  if (micWav) media.push(`--use-file-for-fake-audio-capture=${micWav}%noloop`);
  if (options.microphone === 'deny') media.push('--deny-permission-prompts');
  else if (micWav || options.microphone === 'allow') media.push('--use-fake-ui-for-media-stream');
  return chromium.launch({
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
      // one --disable-features flag: Chromium reads only the last
      `--disable-features=${[
        'WebRtcHideLocalIpsWithMdns',
        ...(options.allowLoopbackFromRoutedPages ? ['LocalNetworkAccessChecks'] : []),
      ].join(',')}`,
      ...media,
    ],
  });
}

/**
 * Chromium on the persona studio of `studioUrl`, signed in with the admin key (light, 1280×900,
 * as the studio suites take their screenshots).
 */
export async function openStudio(
  studioUrl: string,
  adminKey: string,
): Promise<{ browser: Browser; page: Page }> {
  const browser = await launchChromium();
  const context = await browser.newContext({
    colorScheme: 'light',
    viewport: { width: 1280, height: 900 },
  });
  const page = await context.newPage();
  await page.goto(`${studioUrl}/#key=${encodeURIComponent(adminKey)}`);
  await page.getByText('Signed in with the admin key').waitFor();
  return { browser, page };
}
