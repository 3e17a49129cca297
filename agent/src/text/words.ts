/**
 * Lower-cased words of a text. Apostrophes inside a word are kept ("don't", "what's") because
 * the pronunciation dictionary spells words that way; every other non-alphanumeric character
 * separates words.
 */
export function splitWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .split(/[^a-z0-9']+/)
    .map((word) => word.replace(/^'+|'+$/g, ''))
    .filter((word) => word.length > 0);
}
