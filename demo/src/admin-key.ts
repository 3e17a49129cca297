/**
 * The admin key (PARLEY_ADMIN_KEY) lives in this tab's sessionStorage only: it is never part of
 * the build, never in localStorage, and gone when the tab closes.
 */

const STORAGE_KEY = 'parley-studio.admin-key';

/** The key in a `#key=…` fragment (what the dev command's link carries), if any. */
export function keyFromFragment(hash: string): string | undefined {
  const match = /^#key=([^&]+)$/.exec(hash);
  if (!match?.[1]) return undefined;
  try {
    const key = decodeURIComponent(match[1]).trim();
    return key === '' ? undefined : key;
  } catch {
    // a malformed escape is not a key anybody printed; ignore the fragment as a whole
    return undefined;
  }
}

export function storedKey(): string | undefined {
  return sessionStorage.getItem(STORAGE_KEY) ?? undefined;
}

export function storeKey(key: string): void {
  sessionStorage.setItem(STORAGE_KEY, key);
}

export function forgetKey(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}

/**
 * Takes a `#key=…` fragment into sessionStorage and removes it from the address bar (and the
 * history entry), so the key does not linger where it can be bookmarked or shoulder-read.
 * Fragments never reach the server.
 */
export function adoptKeyFromAddressBar(): void {
  const key = keyFromFragment(location.hash);
  if (key === undefined) return;
  storeKey(key);
  history.replaceState(history.state, '', `${location.pathname}${location.search}`);
}
