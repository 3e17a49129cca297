import type { DtmfDigit, PhoneSettings } from '@parley/contracts';

/** What the caller's keys amount to, handed to the agent as if they had said `text`. */
export interface DtmfInput {
  kind: 'menu' | 'digits';
  /** The caller's words: a menu entry's intent, or the digit string in a sentence. */
  text: string;
  /** The keys as pressed, stored with the turn (`1`, `12345#`). */
  keys: string;
}

export interface DtmfCollectorOptions extends Pick<
  PhoneSettings,
  'dtmfMenu' | 'digitTimeoutMs' | 'maxDigits'
> {
  onInput(input: DtmfInput): void;
  /** Timers, replaceable in tests. */
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (handle: unknown) => void;
}

/**
 * The sentence a digit string reaches the agent as. Digits stay together ("12345"): the
 * scripted responder's parsers read a number or a phone number from it, and a model reads it
 * like a caller who said it.
 */
export function digitsSentence(digits: string): string {
  return `My number is ${digits}.`;
}

/**
 * Turns a phone caller's keypad into what they mean. A key of the persona's menu, pressed when
 * no digit string is being typed, is its intent at once. Any other key starts (or extends) a
 * digit string, which ends on `#`, after `digitTimeoutMs` without a key, or at `maxDigits`.
 * A lone `#` means nothing.
 */
export class DtmfCollector {
  readonly #opts: DtmfCollectorOptions;
  readonly #menu: ReadonlyMap<string, string>;
  #digits = '';
  #timer: unknown;
  #closed = false;

  constructor(opts: DtmfCollectorOptions) {
    this.#opts = opts;
    this.#menu = new Map(opts.dtmfMenu.map((entry) => [entry.digit, entry.intent]));
  }

  /** A key pressed (`DtmfReceived` gives its digit as a string). Unknown keys are ignored. */
  press(key: DtmfDigit | string): void {
    if (this.#closed || !/^[0-9*#A-D]$/.test(key)) return;
    const intent = this.#digits === '' ? this.#menu.get(key) : undefined;
    if (intent !== undefined) {
      this.#opts.onInput({ kind: 'menu', text: intent, keys: key });
      return;
    }
    if (key === '#') {
      this.#flush('#');
      return;
    }
    this.#digits += key;
    if (this.#digits.length >= this.#opts.maxDigits) this.#flush('');
    else this.#arm();
  }

  /** Hands over a digit string in progress now (e.g. before the call ends) and stops. */
  close(): void {
    this.#flush('');
    this.#closed = true;
  }

  #arm(): void {
    this.#clear();
    const set = this.#opts.setTimeout ?? setTimeout;
    this.#timer = set(() => this.#flush(''), this.#opts.digitTimeoutMs);
  }

  #clear(): void {
    if (this.#timer === undefined) return;
    const clear = this.#opts.clearTimeout ?? ((h) => clearTimeout(h as NodeJS.Timeout));
    clear(this.#timer);
    this.#timer = undefined;
  }

  #flush(terminator: '' | '#'): void {
    this.#clear();
    const digits = this.#digits;
    this.#digits = '';
    if (digits === '') return;
    this.#opts.onInput({ kind: 'digits', text: digitsSentence(digits), keys: digits + terminator });
  }
}
