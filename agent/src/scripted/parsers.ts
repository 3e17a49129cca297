/**
 * Readers for the answers a caller gives while the scripted responder fills a form: contact
 * details, amounts of money, how soon, names and yes/no. Each takes what the speech recogniser
 * wrote (lower case, numbers as words, no punctuation) as well as typed text, and returns
 * `undefined` when the answer does not say what was asked.
 */
import { splitWords } from '../text/words.js';
import { numbersAsDigits, readDigitRun, readNumber } from './number-words.js';
import { QUESTION_WORDS, STOPWORDS } from '../text/word-forms.js';

export interface Contact {
  email?: string;
  phone?: string;
}

const EMAIL = /^[a-z0-9._%+-]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$/;

/** Words spoken inside an address and what they stand for. */
const EMAIL_SYMBOLS: Readonly<Record<string, string>> = {
  at: '@',
  dot: '.',
  period: '.',
  underscore: '_',
  dash: '-',
  hyphen: '-',
};

/** Words that come before an address but are not part of it. */
const BEFORE_EMAIL = new Set(['is', "it's", 'its', 'email', 'address', 'me', 'mail', 'my', 'try']);

const spokenSymbol = (word: string) => EMAIL_SYMBOLS[word] ?? word;

/** The spoken address around the "at" at `at`: "jo dot smith at example dot co dot uk". */
function spokenEmailAround(words: readonly string[], at: number): string | undefined {
  // Back from "at": words joined by spoken symbols, or letters spelled one by one.
  let start = at - 1;
  while (start > 0) {
    const before = words[start - 1] as string;
    if (before !== 'at' && EMAIL_SYMBOLS[before] !== undefined && start >= 2) start -= 2;
    else if (before.length === 1 && (words[start] as string).length === 1) start -= 1;
    else break;
  }
  if (start < 0 || BEFORE_EMAIL.has(words[start] as string)) return undefined;
  let end = at + 2;
  while (EMAIL_SYMBOLS[words[end] ?? ''] !== undefined && words[end + 1] !== undefined) end += 2;
  const local = words.slice(start, at).map(spokenSymbol).join('');
  const domain = words
    .slice(at + 1, end)
    .map(spokenSymbol)
    .join('');
  const address = `${local}@${domain}`;
  return EMAIL.test(address) ? address : undefined;
}

/** An email address, typed ("jo@example.com") or spoken ("jo dot smith at example dot com"). */
export function parseEmail(text: string): string | undefined {
  const typed = /[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+/i.exec(text);
  if (typed) return typed[0].toLowerCase();
  const words = text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  for (let at = 1; at < words.length; at++) {
    const address = words[at] === 'at' ? spokenEmailAround(words, at) : undefined;
    if (address) return address;
  }
  return undefined;
}

/** A phone number of 7 to 15 digits, typed or spoken digit by digit; a leading `+` is kept. */
export function parsePhone(text: string): string | undefined {
  const typed = /\+?\d[\d\s().-]{5,}\d/.exec(text);
  const words = text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  const digits = typed ? typed[0].replace(/\D/g, '') : readDigitRun(words);
  if (digits.length < 7 || digits.length > 15) return undefined;
  const plus = typed?.[0].startsWith('+') || /^\s*plus\b/i.test(text);
  return plus ? `+${digits}` : digits;
}

/** Whatever contact detail an answer holds: an email address, else a phone number. */
export function parseContact(text: string): Contact | undefined {
  const email = parseEmail(text);
  if (email) return { email };
  const phone = parsePhone(text);
  return phone ? { phone } : undefined;
}

const MULTIPLIERS: Readonly<Record<string, number>> = {
  k: 1_000,
  grand: 1_000,
  thousand: 1_000,
  m: 1_000_000,
  mil: 1_000_000,
  million: 1_000_000,
  bn: 1_000_000_000,
  billion: 1_000_000_000,
};

/** An amount of money: "$5,000", "five thousand dollars", "about 2k", "1.5 million". */
export function parseMoney(text: string): number | undefined {
  const lower = text.toLowerCase();
  const typed = /(\d[\d,]*(?:\.\d+)?)\s*(k|grand|thousand|mil|million|m|bn|billion)?\b/.exec(lower);
  if (typed) {
    const amount = Number((typed[1] as string).replace(/,/g, ''));
    return amount * (MULTIPLIERS[typed[2] ?? ''] ?? 1);
  }
  const words = splitWords(lower);
  for (let i = 0; i < words.length; i++) {
    const run = readNumber(words, i);
    if (run) return run.value * (MULTIPLIERS[words[run.end] ?? ''] ?? 1);
  }
  return undefined;
}

const UNIT_DAYS: Readonly<Record<string, number>> = {
  day: 1,
  week: 7,
  month: 30,
  quarter: 90,
  year: 365,
};
const UNIT = '(day|week|month|quarter|year)s?';

/**
 * How many days until the caller wants to start: "next month" → 30, "in two weeks" → 14,
 * "within 3 months" → 90, "right away" → 0.
 */
export function parseTimelineDays(text: string): number | undefined {
  const said = numbersAsDigits(splitWords(text)).join(' ');
  const days = (count: number, unit: string | undefined) =>
    Math.round(count * (UNIT_DAYS[unit ?? ''] ?? 0));
  const counted = new RegExp(`\\b(\\d+)\\s+${UNIT}\\b`).exec(said);
  const article = new RegExp(`\\b(a|an|one)\\s+${UNIT}\\b`).exec(said);
  const vague = new RegExp(`\\b(couple|few|several)\\s+(?:of\\s+)?${UNIT}\\b`).exec(said);
  const relative = new RegExp(`\\b(next|this|coming)\\s+${UNIT}\\b`).exec(said);
  const candidates = [
    counted && { at: counted.index, days: days(Number(counted[1]), counted[2]) },
    article && { at: article.index, days: days(1, article[2]) },
    vague && { at: vague.index, days: days(vague[1] === 'couple' ? 2 : 3, vague[2]) },
    relative && { at: relative.index, days: days(1, relative[2]) },
  ].filter((c): c is { at: number; days: number } => Boolean(c));
  // The first span the caller named wins: "a month or two" is a month.
  const first = candidates.sort((a, b) => a.at - b.at)[0];
  if (first) return first.days;
  if (/\btomorrow\b/.test(said)) return 1;
  if (/\b(asap|today|now|immediately|right away|as soon as possible|straight away)\b/.test(said)) {
    return 0;
  }
  return undefined;
}

/** Introductions after which any words are the name ("my name is Will"). */
const NAME_INTRO = /^(?:(?:my )?name(?: is|'s)|call me|you can call me)\s+/;
/** Introductions that also start ordinary sentences ("I'm not sure"): the name is checked. */
const LOOSE_INTRO = /^(?:it's|it is|this is|i'm|i am)\s+/;
const NAME_FILLERS = /^(?:(?:well|um|uh|er|erm|oh|sure|yes|yeah|ok|okay|hi|hello|so)(?:\s+|$))+/;
const NAME_TAIL = /(?:^|\s+)(?:thanks|thank you|please|here|speaking)$/;
/** Words that are answers or refusals, never names. */
const NOT_NAMES = new Set([
  'not',
  'sure',
  'sorry',
  'interested',
  'nobody',
  'none',
  'nothing',
  'skip',
  'pass',
  'rather',
]);

export interface NameOptions {
  /** Take any short answer as the name (the caller was asked twice already). */
  lenient?: boolean;
}

const titleCase = (words: readonly string[]) =>
  words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');

/** A name given as an answer: "John Smith", "my name is Will", "it's Ana, thanks". */
export function parseName(text: string, options: NameOptions = {}): string | undefined {
  let said = splitWords(text).join(' ').replace(NAME_FILLERS, '').replace(NAME_TAIL, '');
  const introduced = NAME_INTRO.test(said);
  said = said.replace(NAME_INTRO, '').replace(LOOSE_INTRO, '');
  const words = said.split(' ').filter(Boolean);
  if (words.length === 0 || words.length > 4) return undefined;
  if (words.some((w) => /\d/.test(w))) return undefined;
  const checked = !introduced && !options.lenient;
  if (words.some((w) => QUESTION_WORDS.has(w) || NOT_NAMES.has(w))) return undefined;
  if (checked && words.some((w) => STOPWORDS.has(w))) return undefined;
  return titleCase(words);
}

/** A name the caller volunteers anywhere in a sentence ("hi, my name is Ana and I …"). */
export function mentionedName(text: string): string | undefined {
  const said = splitWords(text).join(' ');
  const match = /\b(?:my name is|my name's|call me)\s+([a-z'-]+)(?:\s+([a-z'-]+))?/.exec(said);
  if (!match) return undefined;
  const words = [match[1] as string];
  const second = match[2];
  if (second && !STOPWORDS.has(second) && !NOT_NAMES.has(second)) words.push(second);
  return parseName(words.join(' '), { lenient: true });
}

const NO =
  /\b(no|nope|nah|not|don't|do not|someone else|somebody else|my (boss|manager|partner|team))\b/;
const YES =
  /\b(yes|yeah|yep|yup|sure|correct|absolutely|definitely|of course|i do|i am|that's me|it's me|me|i decide|i make|owner|right)\b/;

/** A yes or a no ("I'm the owner" is yes; "my boss decides" is no). */
export function parseYesNo(text: string): boolean | undefined {
  const said = splitWords(text).join(' ');
  if (NO.test(said)) return false;
  if (YES.test(said)) return true;
  return undefined;
}
