/**
 * The one-line embed, built to `parley.js` as a classic script:
 *
 *   <script src="https://parley.example.com/widget/parley.js" data-persona="default" async></script>
 *
 * Draws the launcher at once — a look-alike button in its own shadow root — and loads the real
 * element (`parley-voice.js`, with LiveKit) only on intent: pointer over the launcher, focus, a
 * click, or the page going idle (unless `data-load="intent"`). A click before the element has
 * arrived starts the call as soon as it has. `data-*` attributes become the element's attributes;
 * `data-server` defaults to the server the script came from (it serves the widget at `/widget/`).
 * Shares no chunk with the element bundle and stays a couple of kilobytes.
 */
import { EMBED_ATTRIBUTES, applyAccent, datasetKey, parsePosition } from './attributes.js';
import { launcherLabel } from './i18n/launcher-labels.js';
import { LAUNCHER_CSS, MICROPHONE_PATH, THEME_CSS } from './launcher-look.js';

/** Set on `window` by the first copy of the loader, so a snippet pasted twice draws one launcher. */
const LOADED_FLAG = '__parleyLoader';
const SVG_NS = 'http://www.w3.org/2000/svg';

interface LoaderWindow {
  [LOADED_FLAG]?: boolean;
}

(() => {
  const flagged = window as Window & LoaderWindow;
  if (flagged[LOADED_FLAG]) return;
  const script =
    document.currentScript instanceof HTMLScriptElement
      ? document.currentScript
      : document.querySelector<HTMLScriptElement>('script[src*="parley.js"]');
  if (!script?.src) {
    console.error('[parley] parley.js must be loaded with a <script src> tag');
    return;
  }
  flagged[LOADED_FLAG] = true;

  const scriptUrl = new URL(script.src, document.baseURI);
  const attributes = new Map<string, string>();
  for (const name of EMBED_ATTRIBUTES) {
    const value = script.dataset[datasetKey(name)];
    if (value !== undefined) attributes.set(name, value);
  }
  if (!attributes.has('persona')) attributes.set('persona', 'default');
  if (!attributes.has('server')) {
    attributes.set('server', new URL('..', scriptUrl).href.replace(/\/+$/, ''));
  }
  attributes.set('position', parsePosition(attributes.get('position') ?? 'bottom-right'));

  const host = document.createElement('div');
  host.dataset['parleyLauncher'] = '';
  for (const name of ['theme', 'position']) {
    const value = attributes.get(name);
    if (value) host.setAttribute(name, value);
  }
  applyAccent(host.style, attributes.get('accent') ?? '');
  const root = host.attachShadow({ mode: 'open' });
  adoptStyles(root, `${THEME_CSS}:host{display:inline-flex}${LAUNCHER_CSS}`);
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'launcher';
  button.setAttribute('part', 'launcher');
  const icon = document.createElementNS(SVG_NS, 'svg');
  icon.setAttribute('viewBox', '0 0 24 24');
  icon.setAttribute('aria-hidden', 'true');
  icon.setAttribute('focusable', 'false');
  const path = document.createElementNS(SVG_NS, 'path');
  path.setAttribute('fill', 'currentColor');
  path.setAttribute('d', MICROPHONE_PATH);
  icon.append(path);
  const label = document.createElement('span');
  label.textContent =
    attributes.get('label') ||
    launcherLabel(attributes.get('lang') || script.closest('[lang]')?.getAttribute('lang'));
  button.append(icon, label);
  root.append(button);

  let startOnLoad = false;
  let loading: Promise<void> | undefined;
  const load = (): Promise<void> =>
    (loading ??= import(/* @vite-ignore */ new URL('parley-voice.js', scriptUrl).href).then(
      swapIn,
      (error: unknown) => {
        // the next intent tries again
        loading = undefined;
        console.error('[parley] could not load parley-voice.js', error);
      },
    ));

  /** Replaces the look-alike with the real element, keeping focus and a pending click. */
  const swapIn = async (): Promise<void> => {
    await customElements.whenDefined('parley-voice');
    const element = document.createElement('parley-voice');
    for (const [name, value] of attributes) element.setAttribute(name, value);
    element.dataset['parleyLoader'] = '';
    host.before(element);
    await element.updateComplete;
    const hadFocus = root.activeElement === button;
    host.remove();
    if (hadFocus) element.shadowRoot?.querySelector<HTMLButtonElement>('.launcher')?.focus();
    if (startOnLoad) void element.start();
  };

  const intent = (): void => void load();
  button.addEventListener('pointerenter', intent, { once: true });
  button.addEventListener('focus', intent, { once: true });
  button.addEventListener('touchstart', intent, { once: true, passive: true });
  button.addEventListener('click', () => {
    startOnLoad = true;
    button.setAttribute('aria-busy', 'true');
    void load();
  });

  const mount = (): void => {
    if (attributes.get('position') === 'inline' && script.parentElement !== document.head) {
      script.after(host);
    } else {
      document.body.append(host);
    }
  };
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount, { once: true });

  if (script.dataset['load'] !== 'intent') {
    const whenIdle = (): void => {
      if ('requestIdleCallback' in window) requestIdleCallback(intent, { timeout: 5_000 });
      else setTimeout(intent, 2_000);
    };
    if (document.readyState === 'complete') whenIdle();
    else window.addEventListener('load', whenIdle, { once: true });
  }
})();

/** Constructed style sheets pass a strict `style-src` CSP; a `<style>` element is the fallback. */
function adoptStyles(root: ShadowRoot, cssText: string): void {
  if ('adoptedStyleSheets' in root && 'replaceSync' in CSSStyleSheet.prototype) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(cssText);
    root.adoptedStyleSheets = [sheet];
  } else {
    const style = document.createElement('style');
    style.textContent = cssText;
    root.append(style);
  }
}
