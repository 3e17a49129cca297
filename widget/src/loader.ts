/**
 * The one-line embed, built to `parley.js` as a classic script:
 *
 *   <script src="https://parley.example.com/widget/parley.js" data-persona="default" async></script>
 *
 * Adds a floating `<parley-voice>` to the page and loads `parley-voice.js` from the same folder.
 * `data-server` defaults to the server the script came from (it serves the widget at `/widget/`).
 * Imports nothing: it must stay a few hundred bytes and share no chunk with the element bundle.
 */
(() => {
  const script =
    document.currentScript instanceof HTMLScriptElement
      ? document.currentScript
      : document.querySelector<HTMLScriptElement>('script[src*="parley.js"][data-persona]');
  if (!script?.src) {
    console.error('[parley] parley.js must be loaded with a <script src> tag');
    return;
  }
  const scriptUrl = new URL(script.src, document.baseURI);
  const persona = script.dataset['persona'] || 'default';
  const server = script.dataset['server'] ?? new URL('..', scriptUrl).href.replace(/\/+$/, '');

  const mount = (): void => {
    // the same snippet pasted twice should not give two buttons
    for (const existing of document.querySelectorAll('parley-voice[data-parley-loader]')) {
      if (existing.getAttribute('persona') === persona) return;
    }
    const element = document.createElement('parley-voice');
    element.setAttribute('persona', persona);
    element.setAttribute('server', server);
    element.setAttribute('floating', '');
    element.setAttribute('data-parley-loader', '');
    if (script.dataset['label']) element.setAttribute('label', script.dataset['label']);
    document.body.append(element);
  };

  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount, { once: true });

  import(/* @vite-ignore */ new URL('parley-voice.js', scriptUrl).href).catch((error: unknown) => {
    console.error('[parley] could not load parley-voice.js', error);
  });
})();
