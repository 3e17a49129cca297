import { splitWords } from '../text/words.js';
import { canonical, QUESTION_WORDS, STOPWORDS } from '../text/word-forms.js';

export interface KnowledgeEntry {
  question: string;
  answer: string;
}

export interface KnowledgeMatch<E extends KnowledgeEntry = KnowledgeEntry> {
  entry: E;
  index: number;
  /** 0..1: how well the utterance covers the entry's question. */
  score: number;
}

export interface KnowledgeMatcherOptions {
  /** Minimum score for an answer; below it the caller gets the fallback line. */
  threshold: number;
  /** Weight of question words ("where", "how") relative to topic words. */
  questionWordWeight: number;
  /** Credit for a near miss ("shop" for "ship"), times the similarity of the two words. */
  nearMissCredit: number;
}

const defaults: KnowledgeMatcherOptions = {
  threshold: 0.25,
  questionWordWeight: 0.5,
  nearMissCredit: 0.8,
};

/** Topic terms of a text: normalised, without stopwords, each once. */
export function terms(text: string): string[] {
  const out = new Set<string>();
  for (const word of splitWords(text)) {
    if (STOPWORDS.has(word)) continue;
    out.add(QUESTION_WORDS.has(word) ? word : canonical(word));
  }
  return [...out];
}

function similarity(a: string, b: string): number {
  if (a === b) return 1;
  if (Math.min(a.length, b.length) < 4) return 0;
  // Levenshtein distance, one row at a time.
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (row[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      next.push(Math.min((row[j] ?? 0) + 1, (next[j - 1] ?? 0) + 1, substitution));
    }
    row = next;
  }
  return 1 - (row[b.length] ?? 0) / Math.max(a.length, b.length);
}

/**
 * Finds the knowledge entry whose question best matches what a caller said. Deterministic:
 * weighted term overlap, where rarer terms (across the persona's questions) weigh more, so it
 * copes with paraphrases and with words the speech recogniser dropped or misheard.
 */
export class KnowledgeMatcher<E extends KnowledgeEntry = KnowledgeEntry> {
  readonly options: KnowledgeMatcherOptions;
  readonly #entries: { entry: E; terms: string[] }[];
  readonly #documentFrequency = new Map<string, number>();

  constructor(entries: readonly E[], opts: Partial<KnowledgeMatcherOptions> = {}) {
    this.options = { ...defaults, ...opts };
    this.#entries = entries.map((entry) => ({ entry, terms: terms(entry.question) }));
    for (const { terms: ts } of this.#entries) {
      for (const t of ts) this.#documentFrequency.set(t, (this.#documentFrequency.get(t) ?? 0) + 1);
    }
  }

  #weight(term: string): number {
    const n = Math.max(this.#entries.length, 1);
    const df = this.#documentFrequency.get(term) ?? 1;
    const idf = Math.log(1 + n / df);
    return QUESTION_WORDS.has(term) ? idf * this.options.questionWordWeight : idf;
  }

  /** Every entry with its score for `utterance`, best first. */
  rank(utterance: string): KnowledgeMatch<E>[] {
    const said = terms(utterance);
    if (said.length === 0) return [];
    const saidWeight = said.reduce((sum, t) => sum + this.#weight(t), 0);
    const ranked = this.#entries.map(({ entry, terms: asked }, index) => {
      let matched = 0;
      let questionWeight = 0;
      let topicMatched = false;
      for (const term of asked) {
        const weight = this.#weight(term);
        questionWeight += weight;
        let credit = 0;
        for (const candidate of said) {
          const sim = similarity(term, candidate);
          const c = sim === 1 ? 1 : sim >= 0.75 ? sim * this.options.nearMissCredit : 0;
          credit = Math.max(credit, c);
        }
        matched += weight * credit;
        if (credit > 0 && !QUESTION_WORDS.has(term)) topicMatched = true;
      }
      // How much of the question was said, discounted a little for unrelated extra words.
      const coverage = questionWeight > 0 ? matched / questionWeight : 0;
      const precision = Math.min(1, matched / saidWeight);
      const score = topicMatched ? coverage * (0.6 + 0.4 * precision) : 0;
      return { entry, index, score };
    });
    return ranked.sort((a, b) => b.score - a.score || a.index - b.index);
  }

  /** The best entry, if it clears the threshold. */
  match(utterance: string): KnowledgeMatch<E> | undefined {
    const best = this.rank(utterance)[0];
    return best && best.score >= this.options.threshold ? best : undefined;
  }
}
