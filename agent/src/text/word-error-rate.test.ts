import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { countWordErrors, wordErrorRate } from './word-error-rate.js';
import { splitWords } from './words.js';

describe('splitWords', () => {
  test('lower-cases, drops punctuation and keeps apostrophes inside words', () => {
    assert.deepEqual(splitWords("What's up? Don't-stop, 'quoted'."), [
      "what's",
      'up',
      "don't",
      'stop',
      'quoted',
    ]);
  });
});

describe('wordErrorRate', () => {
  test('identical text has no errors, whatever the case and punctuation', () => {
    assert.equal(wordErrorRate('What are your opening hours?', 'what are your opening hours'), 0);
  });

  test('counts substitutions, deletions and insertions against the reference length', () => {
    assert.deepEqual(countWordErrors('do you offer free shipping', 'do you offer free shopping'), {
      substitutions: 1,
      deletions: 0,
      insertions: 0,
      referenceWords: 5,
    });
    assert.deepEqual(countWordErrors('where are you located', 'where you located now'), {
      substitutions: 0,
      deletions: 1,
      insertions: 1,
      referenceWords: 4,
    });
    assert.equal(wordErrorRate('a b c d', 'a x c'), 0.5);
  });

  test('an empty hypothesis deletes every reference word', () => {
    assert.equal(wordErrorRate('hello there', ''), 1);
  });
});
