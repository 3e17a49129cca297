import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { transcriptEnding, transcriptWords } from './transcript-ending.js';

describe('transcriptEnding', () => {
  test('when a question or an answer ends on a word that can close it, then it is complete', () => {
    for (const text of [
      'what are your opening hours',
      'do you offer free shipping',
      'can i book an appointment for tomorrow',
      'i would like to book an appointment',
      'yes',
      'no thanks',
      "that's all",
      'tell me about that',
      'could you',
    ]) {
      assert.equal(transcriptEnding(text), 'complete', text);
    }
  });

  test('when it ends on an article, a possessive, a conjunction or a filler, then it is unfinished', () => {
    for (const text of [
      'what are your',
      'i would like to book an',
      'can you tell me about the',
      'do you have any',
      'i was wondering if',
      'i need to cancel my',
      'a table for two and',
      'my number is um',
    ]) {
      assert.equal(transcriptEnding(text), 'unfinished', text);
    }
  });

  test('when a statement ends on a preposition or "would like", then it is unfinished', () => {
    for (const text of [
      'i would like to book an appointment for',
      'how much does it cost to',
      'i am calling about',
      'i would like',
      "i'd like",
    ]) {
      assert.equal(transcriptEnding(text), 'unfinished', text);
    }
  });

  test('when a wh-question ends on a preposition, then the words cannot tell', () => {
    // "What is it for?" is complete; "what time is the appointment for" may go on.
    assert.equal(transcriptEnding('what is it for'), 'unknown');
    assert.equal(transcriptEnding('where are you calling from'), 'unknown');
  });

  test('when nothing was heard, then the words cannot tell', () => {
    assert.equal(transcriptEnding(''), 'unknown');
    assert.equal(transcriptEnding(' ... '), 'unknown');
  });

  test('punctuation and casing from a cloud recogniser do not change the reading', () => {
    assert.equal(transcriptEnding('What are your opening hours?'), 'complete');
    assert.equal(transcriptEnding('I would like to book an appointment for…'), 'unfinished');
    assert.equal(transcriptEnding('Can you tell me about the'), 'unfinished');
    assert.deepEqual(transcriptWords('That’s all, thanks!'), ["that's", 'all', 'thanks']);
  });
});
