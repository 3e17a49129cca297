/**
 * How an English transcript ends, read from its last words: whether a caller who stopped there
 * has most likely finished (`complete`), has most likely stopped mid-sentence (`unfinished`), or
 * the words cannot tell (`unknown`). Deterministic and cheap: it runs on every final transcript.
 *
 * It errs towards `unfinished` only on words that nearly always go on (an article, a
 * preposition, a conjunction, a possessive, a filler): a caller cut off is worse than a reply
 * that comes a moment later.
 */
export type TranscriptEnding = 'complete' | 'unfinished' | 'unknown';

/** Words after which a sentence nearly always goes on. */
const DANGLING = new Set([
  // articles and determiners that need a noun
  'a',
  'an',
  'the',
  'every',
  'any',
  // possessives
  'my',
  'your',
  'our',
  'their',
  'his',
  'its',
  // conjunctions and subordinators
  'and',
  'or',
  'but',
  'nor',
  'because',
  'if',
  'whether',
  'than',
  'unless',
  'although',
  // fillers: the caller is thinking
  'um',
  'uh',
  'er',
  'erm',
  'uhm',
  'hmm',
]);

/**
 * Prepositions that need an object. They dangle after a statement ("book an appointment for")
 * but may close a question that moved its object to the front ("what is it for"), so after a
 * wh-word the ending is left to the audio.
 */
const PREPOSITIONS = new Set([
  'to',
  'of',
  'for',
  'from',
  'with',
  'about',
  'at',
  'into',
  'onto',
  'towards',
  'toward',
  'between',
  'during',
  'until',
  'till',
  'without',
  'within',
  'via',
  'per',
  'upon',
]);

const WH_WORDS = new Set(['what', "what's", 'who', "who's", 'whom', 'which', 'where', "where's"]);

/** Two-word endings that go on although their last word alone may not ("i would like"). */
const DANGLING_PAIRS = new Set(['would like', "i'd like", 'would love', "i'd love"]);

/** Lowercase words, without punctuation (cloud recognisers punctuate; PocketSphinx does not). */
export function transcriptWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .split(/[^a-z0-9']+/)
    .map((word) => word.replace(/^'+|'+$/g, ''))
    .filter((word) => word.length > 0);
}

export function transcriptEnding(text: string): TranscriptEnding {
  const words = transcriptWords(text);
  const last = words.at(-1);
  if (last === undefined) return 'unknown';
  if (DANGLING.has(last)) return 'unfinished';
  if (words.length >= 2 && DANGLING_PAIRS.has(`${words.at(-2)} ${last}`)) return 'unfinished';
  if (PREPOSITIONS.has(last)) {
    return words.some((word) => WH_WORDS.has(word)) ? 'unknown' : 'unfinished';
  }
  return 'complete';
}
