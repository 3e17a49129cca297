/**
 * Cuts streamed text into sentences as soon as each one is known to be complete: a sentence
 * ends at `.`, `!`, `?` or `…` followed by white space, or at a line break. Sentences shorter than
 * `minLength` wait to be joined with the next one, so the voice does not stop after "Hi!".
 */
export class SentenceSplitter {
  #buffer = '';
  readonly #minLength: number;

  constructor(minLength = 20) {
    this.#minLength = minLength;
  }

  /** Adds text; returns the sentences it completed. */
  push(text: string): string[] {
    this.#buffer += text;
    const sentences: string[] = [];
    const boundary = /[.!?\u2026]+["')\]]*\s+|\n+/g;
    let start = 0;
    for (let match = boundary.exec(this.#buffer); match; match = boundary.exec(this.#buffer)) {
      const end = match.index + match[0].length;
      const candidate = this.#buffer.slice(start, end).trim();
      if (candidate.length >= this.#minLength) {
        sentences.push(candidate);
        start = end;
      }
    }
    this.#buffer = this.#buffer.slice(start);
    return sentences;
  }

  /** Returns whatever text is left, complete or not, and starts over. */
  flush(): string[] {
    const rest = this.#buffer.trim();
    this.#buffer = '';
    return rest ? [rest] : [];
  }
}
