import { en } from './en.js';
import { fr } from './fr.js';
import { primaryLanguage } from './launcher-labels.js';
import type { Messages } from './messages.js';

export type { Messages };

/** Languages with a catalog, by primary language subtag. The first is the fallback. */
export const catalogs: Readonly<Record<string, Messages>> = { en, fr };

/**
 * The catalog for a BCP 47 tag (`fr-CA` → French); English when the tag is empty or has no
 * catalog.
 */
export function messagesFor(lang: string | null | undefined): Messages {
  return catalogs[primaryLanguage(lang)] ?? en;
}

/** Why a number was refused, with what to do next: ours when we have words, else the server's. */
export function phoneProblem(messages: Messages, code: string, serverMessage: string): string {
  return Object.hasOwn(messages.phone.problems, code)
    ? messages.phone.problems[code as keyof Messages['phone']['problems']]
    : serverMessage;
}

/** The visitor-facing text for an error: ours for the widget's codes, the server's otherwise. */
export function errorMessage(messages: Messages, code: string, serverMessage: string): string {
  return Object.hasOwn(messages.errors, code)
    ? messages.errors[code as keyof Messages['errors']]
    : serverMessage;
}
