/**
 * Word normalisation for matching what a caller said against a persona's knowledge: drops words
 * that carry no topic, folds inflections together ("shipping", "shipped", "ships" -> "ship") and
 * maps a few everyday synonyms onto one form.
 */

/** Words that say nothing about what the caller wants to know. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    'a an the is are am was were be been being do does did done you your yours yourself i me my ' +
    "mine we us our ours it its it's this that these those there here to of in on at for with " +
    'from by about into over and or but so if then than can could would should will shall may ' +
    'might must please hi hello hey um uh er erm ah oh like just yeah yes no ok okay well really ' +
    "any some have has had get got tell know want wanted wondering wonder need let i'm i'd i've " +
    "i'll you're we're don't doesn't didn't can't cannot isn't aren't won't also still very " +
    'much many more most any thing things something anything maybe actually'
  ).split(/\s+/),
);

/** Question words: they tell questions apart ("where" vs "when") but never make a match alone. */
export const QUESTION_WORDS: ReadonlySet<string> = new Set([
  'what',
  'when',
  'where',
  'which',
  'who',
  'why',
  'how',
]);

/** Everyday synonyms, by stem, mapped onto the stem a persona's question most likely uses. */
const SYNONYMS: Readonly<Record<string, string>> = {
  hour: 'open',
  clos: 'open',
  deliver: 'ship',
  delivery: 'ship',
  postage: 'ship',
  refund: 'return',
  exchang: 'return',
  address: 'locat',
  location: 'locat',
  direction: 'locat',
  reach: 'contact',
  call: 'contact',
  phone: 'contact',
  email: 'contact',
  talk: 'contact',
  speak: 'contact',
  person: 'human',
  someone: 'human',
  agent: 'human',
  representative: 'human',
  operator: 'human',
  cost: 'price',
  fee: 'price',
  charge: 'price',
};

/** A light suffix-stripping stemmer: enough to fold the inflections callers actually use. */
export function stem(word: string): string {
  let w = word.replace(/'s$/, '');
  if (w.length <= 3) return w;
  const strip = (suffix: string, replacement = '') => {
    if (w.endsWith(suffix) && w.length - suffix.length >= 3) {
      w = w.slice(0, -suffix.length) + replacement;
      return true;
    }
    return false;
  };
  if (!strip('ies', 'y') && !strip('sses', 'ss') && !strip('ing') && !strip('ed')) {
    if (/(ss|us|is)$/.test(w)) {
      // "address", "status", "this": not plurals
    } else if (/(x|z|ch|sh)es$/.test(w)) strip('es');
    else strip('s');
  }
  strip('ly');
  // "shipp" -> "ship", "stopp" -> "stop"
  if (/([^aeioulsz])\1$/.test(w)) w = w.slice(0, -1);
  if (w.length > 4 && w.endsWith('e')) w = w.slice(0, -1);
  return w;
}

/** The normalised form of a word, after stemming and synonym folding. */
export function canonical(word: string): string {
  const s = stem(word);
  const synonym = SYNONYMS[word] ?? SYNONYMS[s];
  return synonym === undefined ? s : stem(synonym);
}
