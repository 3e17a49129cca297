import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { KnowledgeMatcher, terms } from './knowledge-matcher.js';
import { canonical, stem } from '../text/word-forms.js';

const KNOWLEDGE = [
  { question: 'What are your opening hours?', answer: 'hours' },
  { question: 'Do you offer free shipping?', answer: 'shipping' },
  { question: 'How can I return an item?', answer: 'returns' },
  { question: 'Where are you located?', answer: 'location' },
  { question: 'How do I contact a human?', answer: 'human' },
];

const matcher = new KnowledgeMatcher(KNOWLEDGE);
const answerFor = (utterance: string) => matcher.match(utterance)?.entry.answer;

describe('word forms', () => {
  test('inflections fold onto one stem', () => {
    const cases: [word: string, stem: string][] = [
      ['shipping', 'ship'],
      ['shipped', 'ship'],
      ['ships', 'ship'],
      ['opening', 'open'],
      ['returns', 'return'],
      ['deliveries', 'delivery'],
      ['address', 'address'],
    ];
    for (const [word, expected] of cases) assert.equal(stem(word), expected, word);
  });

  test('everyday synonyms map onto the word a question uses', () => {
    assert.equal(canonical('refund'), canonical('return'));
    assert.equal(canonical('delivery'), canonical('shipping'));
    assert.equal(canonical('someone'), canonical('human'));
    assert.equal(canonical('hours'), canonical('open'));
  });

  test('stopwords are dropped and question words kept as they are', () => {
    assert.deepEqual(terms('Where are you located?'), ['where', 'locat']);
    assert.deepEqual(terms('yes please'), []);
  });
});

describe('KnowledgeMatcher', () => {
  test('when the caller asks a question verbatim, then its entry matches with full score', () => {
    const match = matcher.match('What are your opening hours?');
    assert.equal(match?.entry.answer, 'hours');
    assert.equal(match?.score, 1);
  });

  test('when the caller paraphrases, then the entry with the same topic matches', () => {
    assert.equal(answerFor('when are you open'), 'hours');
    assert.equal(answerFor('what time do you close today'), 'hours');
    assert.equal(answerFor('is shipping free'), 'shipping');
    assert.equal(answerFor('how much does delivery cost'), 'shipping');
    assert.equal(answerFor('I want a refund'), 'returns');
    assert.equal(answerFor('can I talk to a real person'), 'human');
  });

  test('when the recogniser dropped or misheard words, then the entry still matches', () => {
    assert.equal(answerFor('are your opening'), 'hours');
    assert.equal(answerFor('do you offer free shopping'), 'shipping');
    assert.equal(answerFor('where you locate'), 'location');
    assert.equal(answerFor('how can i return and item'), 'returns');
  });

  test('when nothing in the knowledge is about the question, then there is no match', () => {
    for (const utterance of [
      'what is the weather like',
      'tell me a joke',
      'thank you very much',
      'yes please',
      'how are you',
      'where are you',
      '',
    ]) {
      assert.equal(matcher.match(utterance), undefined, utterance);
    }
  });

  test('rank lists every entry best first and ties keep the knowledge order', () => {
    const ranked = matcher.rank('where is the item');
    assert.equal(ranked.length, KNOWLEDGE.length);
    const scores = ranked.map((r) => r.score);
    assert.deepEqual(
      scores,
      [...scores].sort((a, b) => b - a),
    );
  });

  test('a persona without knowledge never matches', () => {
    assert.equal(new KnowledgeMatcher([]).match('what are your opening hours'), undefined);
  });
});
