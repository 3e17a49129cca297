/**
 * The launcher's text per language. Kept apart from the catalogs so the script-tag loader, which
 * draws the launcher before the element has loaded, carries only these few words.
 */
export const launcherLabels: Readonly<Record<string, string>> & { en: string; fr: string } = {
  en: 'Talk to us',
  fr: 'Parlez-nous',
};

/** `fr-CA` → `fr`. */
export function primaryLanguage(lang: string | null | undefined): string {
  return (lang ?? '').trim().toLowerCase().split(/[-_]/)[0] ?? '';
}

/** Launcher text for a BCP 47 tag, English when the language has none. */
export function launcherLabel(lang: string | null | undefined): string {
  return launcherLabels[primaryLanguage(lang)] ?? launcherLabels.en;
}
