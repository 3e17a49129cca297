/** The one-line embed (`widget/README.md`): the loader script with `data-*` attributes. */

export interface EmbedOptions {
  /** The Parley server's origin, e.g. `https://parley.example.com`. */
  origin: string;
  persona: string;
  position: 'bottom-right' | 'bottom-left';
  theme: 'light' | 'dark' | 'auto';
  /** A CSS colour for the launcher and highlights; none keeps the theme's. */
  accent?: string;
  /** The widget's language; none follows the page's `lang`. */
  lang?: string;
}

function escapeAttribute(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('"', '&quot;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;');
}

/** The snippet; attributes left at the loader's defaults are left out, so it stays short. */
export function embedSnippet(options: EmbedOptions): string {
  const attributes: [string, string][] = [
    ['src', `${options.origin.replace(/\/+$/, '')}/widget/parley.js`],
    ['data-persona', options.persona],
  ];
  if (options.position !== 'bottom-right') attributes.push(['data-position', options.position]);
  if (options.theme !== 'light') attributes.push(['data-theme', options.theme]);
  if (options.accent) attributes.push(['data-accent', options.accent]);
  if (options.lang) attributes.push(['data-lang', options.lang]);
  const written = attributes.map(([name, value]) => `${name}="${escapeAttribute(value)}"`);
  return `<script ${written.join(' ')} async></script>`;
}
