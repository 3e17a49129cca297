import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SentenceSplitter } from './sentence-splitter.js';

describe('SentenceSplitter', () => {
  test('a sentence is released once the text after its full stop begins', () => {
    const splitter = new SentenceSplitter(10);
    assert.deepEqual(splitter.push('We are open from nine'), []);
    assert.deepEqual(splitter.push(' to five.'), []);
    assert.deepEqual(splitter.push(' Shipping'), ['We are open from nine to five.']);
    assert.deepEqual(splitter.push(' is free! Anything else?'), ['Shipping is free!']);
    assert.deepEqual(splitter.flush(), ['Anything else?']);
    assert.deepEqual(splitter.flush(), []);
  });

  test('short sentences wait to be joined with the next one', () => {
    const splitter = new SentenceSplitter(20);
    assert.deepEqual(splitter.push('Hi! Yes. We ship everywhere in the world. '), [
      'Hi! Yes. We ship everywhere in the world.',
    ]);
  });

  test('decimal points and abbreviations without a following space do not end a sentence', () => {
    const splitter = new SentenceSplitter(5);
    assert.deepEqual(splitter.push('It costs 3.50 dollars per item, e.g.in stores'), []);
    assert.deepEqual(splitter.flush(), ['It costs 3.50 dollars per item, e.g.in stores']);
  });

  test('a line break ends a sentence', () => {
    const splitter = new SentenceSplitter(5);
    assert.deepEqual(splitter.push('First line here\nSecond'), ['First line here']);
  });
});
