import { stt } from '@livekit/agents';
import assert from 'node:assert/strict';
import { ReadableStream } from 'node:stream/web';
import { describe, test } from 'node:test';
import {
  isBackchannel,
  SHORT_SOUND_MS,
  topicsOf,
  withoutBackchannels,
  type RecognitionEvent,
} from './backchannel.js';

describe('isBackchannel', () => {
  test('acknowledgements and hesitations, alone or in a row, are backchannels', () => {
    for (const text of [
      'mm-hm',
      'Mhm.',
      'uh huh',
      'Yeah.',
      'yeah yeah',
      'Oh, okay.',
      'I see',
      'right',
      'got it',
      'all right',
      'um',
    ]) {
      assert.equal(isBackchannel(text), true, text);
    }
  });

  test('a request, a question or a correction is a turn, however short', () => {
    for (const text of [
      'stop',
      'Wait.',
      'no',
      'sorry',
      'hold on',
      'what',
      'excuse me',
      'yeah but what about shipping',
      'okay how much is it',
      'hi see you',
    ]) {
      assert.equal(isBackchannel(text, 300), false, text);
    }
  });

  test('one misheard word among acknowledgements is still a backchannel', () => {
    assert.equal(isBackchannel('yet okay'), true);
    assert.equal(isBackchannel('okay i had'), false, 'two other words are words said');
    assert.equal(isBackchannel('okay wait'), false, 'a floor word is never misheard');
    assert.equal(isBackchannel('yeah okay sure fine'), false, 'four words are a sentence');
  });

  test('a lone word from a short sound is a backchannel unless it takes the floor', () => {
    // The offline recogniser turns a cough or a hum into a short word.
    assert.equal(isBackchannel('if', 400), true);
    assert.equal(isBackchannel('if', SHORT_SOUND_MS + 200), false, 'a longer sound is a word said');
    assert.equal(isBackchannel('if'), false, 'without a duration, a word is a word');
    assert.equal(isBackchannel('stop', 300), false);
    assert.equal(isBackchannel('shipping please', 400), false, 'two words are not a noise');
  });

  test('a word that names a topic of the persona takes the floor, alone or among acknowledgements', () => {
    const isTopic = topicsOf(['What are your opening hours?', 'Do you offer refunds?']);
    assert.equal(isBackchannel('hours', 400, isTopic), false);
    assert.equal(isBackchannel('refund', 350, isTopic), false, 'any form of the word');
    assert.equal(isBackchannel('okay hours', 500, isTopic), false);
    // Not the persona's topics, or none at all: the noise rule stands.
    assert.equal(isBackchannel('if', 400, isTopic), true);
    assert.equal(isBackchannel('yet okay', 500, isTopic), true);
    assert.equal(isBackchannel('hours', 400), true);
  });
});

describe('withoutBackchannels', () => {
  const final = (text: string, startTime = 1, endTime = 2): stt.SpeechEvent => ({
    type: stt.SpeechEventType.FINAL_TRANSCRIPT,
    alternatives: [{ text, language: 'en' as never, startTime, endTime, confidence: 1 }],
  });
  const endOfSpeech: stt.SpeechEvent = { type: stt.SpeechEventType.END_OF_SPEECH };

  async function passed(events: RecognitionEvent[], holdsFloor: boolean) {
    const dropped: string[] = [];
    const source = new ReadableStream<RecognitionEvent>({
      start(controller) {
        for (const event of events) controller.enqueue(event);
        controller.close();
      },
    });
    const out: RecognitionEvent[] = [];
    for await (const event of withoutBackchannels(
      source,
      () => holdsFloor,
      (t, backchannel) => {
        if (backchannel) dropped.push(t);
      },
    )) {
      out.push(event);
    }
    return { out, dropped };
  }

  test('when the agent holds the floor, then a backchannel never reaches the framework', async () => {
    const { out, dropped } = await passed(
      [final('yeah'), endOfSpeech, final('wait'), endOfSpeech],
      true,
    );
    assert.deepEqual(dropped, ['yeah']);
    assert.deepEqual(
      out.map((e) => (typeof e === 'string' ? e : (e.alternatives?.[0]?.text ?? e.type))),
      [stt.SpeechEventType.END_OF_SPEECH, 'wait', stt.SpeechEventType.END_OF_SPEECH],
    );
  });

  test('when the agent does not hold the floor, then "yeah" is an answer and passes', async () => {
    const { out, dropped } = await passed([final('yeah')], false);
    assert.deepEqual(dropped, []);
    assert.equal(out.length, 1);
  });

  test("the recogniser's timing gives a lone word's sound length", async () => {
    const short = await passed([final('if', 3.0, 3.4)], true);
    assert.deepEqual(short.dropped, ['if']);
    const long = await passed([final('if', 3.0, 4.2)], true);
    assert.deepEqual(long.dropped, []);
  });
});
