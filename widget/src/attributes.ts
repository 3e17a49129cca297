/**
 * Attribute values of `<parley-voice>` and their parsing. Free of Lit and LiveKit so the loader
 * can share it and Node can test it.
 */

export type Position = 'bottom-right' | 'bottom-left' | 'inline';
export type Theme = 'light' | 'dark' | 'auto';
export type Variables = Readonly<Record<string, string | number | boolean>>;

/**
 * The attributes the script-tag loader copies from its `data-*` attributes to the element
 * (`data-start-muted` → `start-muted`).
 */
export const EMBED_ATTRIBUTES = [
  'persona',
  'server',
  'label',
  'position',
  'theme',
  'accent',
  'lang',
  'variables',
  'start-muted',
  'text-only',
  'push-to-talk',
  'agent-timeout',
] as const;

/** The `data-*` key (as in `dataset`) of an attribute: `start-muted` → `startMuted`. */
export function datasetKey(attribute: string): string {
  return attribute.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

export function parsePosition(value: string | null): Position {
  return value === 'bottom-right' || value === 'bottom-left' ? value : 'inline';
}

export function parseTheme(value: string | null): Theme {
  return value === 'dark' || value === 'auto' ? value : 'light';
}

/**
 * The `variables` attribute: a JSON object of strings, numbers and booleans. Anything else is a
 * page bug: it is reported on the console and left out, never breaking the call.
 */
export function parseVariables(value: string | null): Variables {
  if (value === null || value.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    console.warn('[parley] the variables attribute is not JSON; ignoring it');
    return {};
  }
  return cleanVariables(parsed);
}

/** Keeps the entries the server accepts (string, number, boolean values). */
export function cleanVariables(value: unknown): Variables {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    console.warn('[parley] variables must be an object; ignoring them');
    return {};
  }
  const result: Record<string, string | number | boolean> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry === 'string' || typeof entry === 'boolean') result[key] = entry;
    else if (typeof entry === 'number' && Number.isFinite(entry)) result[key] = entry;
    else console.warn(`[parley] variable "${key}" is not a string, number or boolean; left out`);
  }
  return result;
}

/** `agent-timeout` in seconds → milliseconds; nonsense falls back to the default. */
export function agentTimeoutMs(seconds: number, fallbackSeconds = 30): number {
  const valid = Number.isFinite(seconds) && seconds > 0 ? seconds : fallbackSeconds;
  return Math.round(valid * 1000);
}

/**
 * Black or white, whichever reads better on `color` (WCAG relative luminance), for `#rgb`,
 * `#rrggbb` and `rgb(r g b)` / `rgb(r, g, b)`; `undefined` for other syntaxes.
 */
export function readableOn(color: string): '#000000' | '#ffffff' | undefined {
  const rgb = parseRgb(color.trim().toLowerCase());
  if (!rgb) return undefined;
  const [r, g, b] = rgb.map((channel) => {
    const c = channel / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const onWhite = 1.05 / (luminance + 0.05);
  const onBlack = (luminance + 0.05) / 0.05;
  return onWhite >= onBlack ? '#ffffff' : '#000000';
}

function parseRgb(color: string): [number, number, number] | undefined {
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/.exec(color);
  if (short) return channels(short, (digit) => hex(digit + digit));
  const long = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/.exec(color);
  if (long) return channels(long, hex);
  const fn = /^rgba?\(\s*(\d{1,3})[\s,]+(\d{1,3})[\s,]+(\d{1,3})\s*(?:[,/].*)?\)$/.exec(color);
  if (fn) {
    const rgb = channels(fn, Number);
    if (rgb.every((c) => c <= 255)) return rgb;
  }
  return undefined;
}

function channels(
  match: RegExpExecArray,
  read: (group: string) => number,
): [number, number, number] {
  return [read(match[1] ?? ''), read(match[2] ?? ''), read(match[3] ?? '')];
}

function hex(pair: string): number {
  return Number.parseInt(pair, 16);
}

/** Sets `--parley-accent` (and, for colours it can read, `--parley-on-accent`) on an element. */
export function applyAccent(style: CSSStyleDeclaration, accent: string): void {
  const colour = accent.trim();
  if (colour === '') {
    style.removeProperty('--parley-accent');
    style.removeProperty('--parley-on-accent');
    return;
  }
  style.setProperty('--parley-accent', colour);
  const onAccent = readableOn(colour);
  if (onAccent) style.setProperty('--parley-on-accent', onAccent);
  else style.removeProperty('--parley-on-accent');
}

/** Call timer text: `m:ss`, or `h:mm:ss` from an hour on. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0
    ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}`
    : `${minutes}:${seconds}`;
}
