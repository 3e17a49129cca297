import { splitWords } from '../text/words.js';

/**
 * Phrases every conversation needs whatever the persona; they keep a persona's bias model from
 * pulling short answers ("yes", "thank you") towards its FAQ questions.
 */
export const CONVERSATION_PHRASES: readonly string[] = [
  'yes',
  'no',
  'yes please',
  'no thank you',
  'thank you',
  'thanks',
  'hello',
  'hi there',
  'goodbye',
  'bye',
  'okay',
  'that is all',
  'can you repeat that',
  'i have a question',
  'i would like to speak to a person',
];

const DISCOUNT = 0.5;
const SENTENCE_START = '<s>';
const SENTENCE_END = '</s>';

type Counts = Map<string, number>;

function increment(counts: Counts, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

function log10(p: number): string {
  return p > 0 ? Math.log10(p).toFixed(6) : '-99';
}

/**
 * Builds a small trigram language model in ARPA format from example sentences, with absolute
 * discounting and Katz back-off. It is meant to be interpolated with a general model
 * (PocketSphinx `-bias_lm`), so it only has to rank the persona's own phrasings higher.
 * Words with digits are dropped: the pronunciation dictionary spells numbers out.
 */
export function buildBiasLanguageModel(sentences: readonly string[]): string {
  const tokenized = sentences
    .map((s) => splitWords(s).filter((w) => !/[0-9]/.test(w)))
    .filter((words) => words.length > 0)
    .map((words) => [SENTENCE_START, ...words, SENTENCE_END]);
  if (tokenized.length === 0) throw new Error('a bias language model needs at least one sentence');

  const grams: [Counts, Counts, Counts] = [new Map(), new Map(), new Map()];
  for (const words of tokenized) {
    words.forEach((word, i) => {
      if (word !== SENTENCE_START) increment(grams[0], word);
      if (i >= 1) increment(grams[1], words.slice(i - 1, i + 1).join(' '));
      if (i >= 2) increment(grams[2], words.slice(i - 2, i + 1).join(' '));
    });
  }

  const total = [...grams[0].values()].reduce((a, b) => a + b, 0);
  const unigram = new Map<string, number>();
  for (const [word, count] of grams[0]) unigram.set(word, count / total);
  unigram.set(SENTENCE_START, 0);

  /** Discounted probability of each n-gram given its context, and the context's counts. */
  const discounted = (order: 1 | 2): Map<string, number> => {
    const contextCounts: Counts = new Map();
    for (const [gram, count] of grams[order]) {
      const context = gram.slice(0, gram.lastIndexOf(' '));
      contextCounts.set(context, (contextCounts.get(context) ?? 0) + count);
    }
    const probs = new Map<string, number>();
    for (const [gram, count] of grams[order]) {
      const context = gram.slice(0, gram.lastIndexOf(' '));
      probs.set(gram, (count - DISCOUNT) / (contextCounts.get(context) ?? count));
    }
    return probs;
  };
  const bigram = discounted(1);
  const trigram = discounted(2);

  /** Back-off weight of each context so that its distribution sums to one. */
  const backoffs = (
    probs: Map<string, number>,
    lower: (history: string, word: string) => number,
  ): Map<string, number> => {
    const seenMass = new Map<string, number>();
    const lowerMass = new Map<string, number>();
    for (const [gram, p] of probs) {
      const cut = gram.lastIndexOf(' ');
      const context = gram.slice(0, cut);
      const lowerHistory = context.includes(' ') ? context.slice(context.indexOf(' ') + 1) : '';
      seenMass.set(context, (seenMass.get(context) ?? 0) + p);
      lowerMass.set(
        context,
        (lowerMass.get(context) ?? 0) + lower(lowerHistory, gram.slice(cut + 1)),
      );
    }
    const weights = new Map<string, number>();
    for (const [context, seen] of seenMass) {
      const denominator = 1 - (lowerMass.get(context) ?? 0);
      weights.set(context, denominator > 1e-9 ? (1 - seen) / denominator : 1);
    }
    return weights;
  };
  const unigramProb = (_history: string, word: string) => unigram.get(word) ?? 0;
  const unigramBackoff = backoffs(bigram, unigramProb);
  const bigramProb = (history: string, word: string) =>
    bigram.get(`${history} ${word}`) ??
    (unigramBackoff.get(history) ?? 1) * (unigram.get(word) ?? 0);
  const bigramBackoff = backoffs(trigram, bigramProb);

  const lines = [
    '\\data\\',
    `ngram 1=${unigram.size}`,
    `ngram 2=${bigram.size}`,
    `ngram 3=${trigram.size}`,
    '',
    '\\1-grams:',
  ];
  for (const [word, p] of unigram) {
    const backoff = unigramBackoff.get(word);
    lines.push(`${log10(p)} ${word}${backoff === undefined ? '' : ` ${log10(backoff)}`}`);
  }
  lines.push('', '\\2-grams:');
  for (const [gram, p] of bigram) {
    const backoff = bigramBackoff.get(gram);
    lines.push(`${log10(p)} ${gram}${backoff === undefined ? '' : ` ${log10(backoff)}`}`);
  }
  lines.push('', '\\3-grams:');
  for (const [gram, p] of trigram) lines.push(`${log10(p)} ${gram}`);
  lines.push('', '\\end\\', '');
  return lines.join('\n');
}
