/**
 * Spoken numbers: speech recognisers write "five thousand", "ten thirty" or "five five five", so
 * everything that reads a number from a caller reads words as well as digits.
 */

const SMALL: Readonly<Record<string, number>> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
};

const TENS: Readonly<Record<string, number>> = {
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};

const SCALES: Readonly<Record<string, number>> = {
  thousand: 1_000,
  million: 1_000_000,
  billion: 1_000_000_000,
};

const ORDINALS: Readonly<Record<string, number>> = {
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  sixth: 6,
  seventh: 7,
  eighth: 8,
  ninth: 9,
  tenth: 10,
  eleventh: 11,
  twelfth: 12,
  thirteenth: 13,
  fourteenth: 14,
  fifteenth: 15,
  sixteenth: 16,
  seventeenth: 17,
  eighteenth: 18,
  nineteenth: 19,
  twentieth: 20,
  thirtieth: 30,
};

export interface NumberRun {
  value: number;
  /** Index just past the last word of the number. */
  end: number;
}

const isNumberWord = (word: string | undefined) =>
  word !== undefined &&
  (word in SMALL || word in TENS || word === 'hundred' || word in SCALES || /^\d+$/.test(word));

/**
 * The cardinal number spelled by `words` from `start` ("twenty five hundred" → 2500, "5 thousand"
 * → 5000). It stops where a number would restart, so "five five five" reads as three numbers.
 */
export function readNumber(words: readonly string[], start: number): NumberRun | undefined {
  let total = 0;
  let current = 0;
  let last: 'small' | 'tens' | 'hundred' | 'scale' | undefined;
  let i = start;
  for (; i < words.length; i++) {
    const word = words[i] as string;
    const next = words[i + 1];
    if (word === 'and' && last !== undefined && isNumberWord(next)) continue;
    if (word === 'a' && last === undefined && (next === 'hundred' || (next ?? '') in SCALES)) {
      current = 1;
      last = 'small';
      continue;
    }
    if (/^\d+$/.test(word)) {
      if (last !== undefined) break;
      current = Number(word);
      last = 'small';
    } else if (word in SMALL) {
      const value = SMALL[word] as number;
      // "twenty five" continues a number; "five five" or "ten thirty" starts another.
      if (last === 'small' || (last === 'tens' && value >= 10)) break;
      current += value;
      last = 'small';
    } else if (word in TENS) {
      if (last === 'small' || last === 'tens') break;
      current += TENS[word] as number;
      last = 'tens';
    } else if (word === 'hundred') {
      if (last === 'hundred') break;
      current = (current || 1) * 100;
      last = 'hundred';
    } else if (word in SCALES) {
      if (last === 'scale') break;
      total += (current || 1) * (SCALES[word] as number);
      current = 0;
      last = 'scale';
    } else break;
  }
  if (last === undefined) return undefined;
  return { value: total + current, end: i };
}

/** The day of the month an ordinal spells ("tenth", "twenty first") and where it ends. */
export function readOrdinal(words: readonly string[], start: number): NumberRun | undefined {
  const word = words[start] ?? '';
  if (word in ORDINALS) return { value: ORDINALS[word] as number, end: start + 1 };
  const unit = ORDINALS[words[start + 1] ?? ''];
  if (word in TENS && unit !== undefined && unit < 10) {
    return { value: (TENS[word] as number) + unit, end: start + 2 };
  }
  return undefined;
}

/** `words` with every spelled-out number replaced by its digits ("in two weeks" → "in 2 weeks"). */
export function numbersAsDigits(words: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length;) {
    const word = words[i] as string;
    // A lone "a" is an article, not the number one.
    const run = word === 'a' || word === 'and' ? undefined : readNumber(words, i);
    if (run && run.end > i) {
      out.push(String(run.value));
      i = run.end;
    } else {
      out.push(word);
      i++;
    }
  }
  return out;
}

/** The first number in a text, in digits or words ("order forty two" → 42, "2.5" → 2.5). */
export function firstNumber(text: string): number | undefined {
  const tokens = (text.toLowerCase().match(/\d[\d,]*(?:\.\d+)?|[a-z]+/g) ?? []).map((t) =>
    t.replace(/,/g, ''),
  );
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    if (token.includes('.')) return Number(token);
    if (token === 'a' || token === 'and') continue;
    const run = readNumber(tokens, i);
    if (run) return run.value;
  }
  return undefined;
}

/** Digits spoken one by one ("oh", "double five", "twelve") in a phone number. */
const DIGIT_WORDS: Readonly<Record<string, string>> = {
  zero: '0',
  oh: '0',
  o: '0',
  one: '1',
  two: '2',
  three: '3',
  four: '4',
  five: '5',
  six: '6',
  seven: '7',
  eight: '8',
  nine: '9',
};

/**
 * The longest run of spoken or written digits in `words` ("five five five one two three four",
 * "double two", "thirty four"), skipping "dash"/"hyphen" between groups.
 */
export function readDigitRun(words: readonly string[]): string {
  let best = '';
  let run = '';
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    const next = words[i + 1] ?? '';
    if (/^\d+$/.test(word)) run += word;
    else if (word in DIGIT_WORDS) run += DIGIT_WORDS[word];
    else if ((word === 'double' || word === 'triple') && next in DIGIT_WORDS) {
      run += (DIGIT_WORDS[next] as string).repeat(word === 'double' ? 2 : 3);
      i++;
    } else if (word in SMALL) run += String(SMALL[word]);
    else if (word in TENS) {
      const unit = SMALL[next];
      if (unit !== undefined && unit > 0 && unit < 10) {
        run += String((TENS[word] as number) + unit);
        i++;
      } else run += String(TENS[word]);
    } else if ((word === 'dash' || word === 'hyphen') && run) continue;
    else {
      if (run.length > best.length) best = run;
      run = '';
    }
  }
  return run.length > best.length ? run : best;
}
