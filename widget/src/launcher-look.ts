/**
 * The launcher's look and the theme colours, as plain CSS text: the element's styles and the
 * loader's placeholder launcher (shown before the element has loaded) both use them, so the swap
 * from one to the other does not flicker. Both apply them as constructed style sheets, which a
 * strict `style-src` Content Security Policy allows.
 */

const light = `
  --parley-accent: #1d4ed8;
  --parley-on-accent: #ffffff;
  --parley-surface: #ffffff;
  --parley-text: #111827;
  --parley-muted: #4b5563;
  --parley-danger: #b91c1c;
  --parley-on-danger: #ffffff;
  --parley-border: #6b7280;
  --parley-meter: #e5e7eb;
`;

const dark = `
  --parley-accent: #93c5fd;
  --parley-on-accent: #0b1220;
  --parley-surface: #111827;
  --parley-text: #f3f4f6;
  --parley-muted: #9ca3af;
  --parley-danger: #fca5a5;
  --parley-on-danger: #111827;
  --parley-border: #6b7280;
  --parley-meter: #374151;
`;

/** Custom properties on `:host` for `theme="light"` (default), `"dark"` and `"auto"`. */
export const THEME_CSS = `
:host {
  ${light}
  --parley-radius: 12px;
  --parley-font: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
  --parley-panel-width: 22rem;
  --parley-focus-ring: 0 0 0 2px var(--parley-surface), 0 0 0 4px var(--parley-accent);
  --parley-z-index: 2147483000;
  --parley-offset: 1.25rem;
  font-family: var(--parley-font);
  color: var(--parley-text);
}
:host([theme='dark']) { ${dark} }
@media (prefers-color-scheme: dark) {
  :host([theme='auto']) { ${dark} }
}
:host([position='bottom-right']),
:host([position='bottom-left']) {
  position: fixed;
  bottom: var(--parley-offset);
  z-index: var(--parley-z-index);
}
:host([position='bottom-right']) { right: var(--parley-offset); align-items: flex-end; }
:host([position='bottom-left']) { left: var(--parley-offset); align-items: flex-start; }
`;

/** The round "talk" button. */
export const LAUNCHER_CSS = `
.launcher {
  display: inline-flex;
  align-items: center;
  gap: 0.5rem;
  font: inherit;
  font-weight: 600;
  line-height: 1.2;
  cursor: pointer;
  border-radius: 999px;
  border: 1px solid transparent;
  padding: 0.6rem 1.1rem;
  background: var(--parley-accent);
  color: var(--parley-on-accent);
  box-shadow: 0 4px 14px rgb(0 0 0 / 0.18);
  transition: transform 120ms ease;
}
.launcher:hover { transform: translateY(-1px); }
.launcher:focus-visible { outline: 2px solid transparent; box-shadow: var(--parley-focus-ring); }
.launcher svg { width: 1.1em; height: 1.1em; flex: none; }
@media (prefers-reduced-motion: reduce) {
  .launcher { transition: none; }
  .launcher:hover { transform: none; }
}
`;

/** Path of the microphone icon (24×24 view box). */
export const MICROPHONE_PATH =
  'M12 14a3 3 0 0 0 3-3V5a3 3 0 0 0-6 0v6a3 3 0 0 0 3 3Zm5-3a5 5 0 0 1-10 0H5a7 7 0 0 0 6 6.92V21h2v-3.08A7 7 0 0 0 19 11h-2Z';
