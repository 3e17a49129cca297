import { APIError, initializeLogger, stt, tts } from '@livekit/agents';
import { dispose } from '@livekit/rtc-node';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { wordErrorRate } from '../text/word-error-rate.js';
import { FestivalTTS, schemeString } from './festival-tts.js';
import { PocketSphinxSTT } from './pocketsphinx-stt.js';
import {
  assertSpokenSentence,
  framesRms as rms,
  synthesizedFrames as frames,
} from '../../test/spoken-audio.js';
import { recogniserPaths } from '../../test/recogniser-paths.js';

describe('FestivalTTS', () => {
  let recogniser: ReturnType<typeof recogniserPaths>;
  const engines: FestivalTTS[] = [];
  const festival = (opts: ConstructorParameters<typeof FestivalTTS>[0] = {}) => {
    const engine = new FestivalTTS(opts);
    engines.push(engine);
    return engine;
  };

  before(() => {
    initializeLogger({ pretty: false, level: 'warn' });
    recogniser = recogniserPaths();
  });
  after(async () => {
    await Promise.all(engines.map((e) => e.close()));
    recogniser.remove();
    // The recogniser's native resampler keeps the process alive until LiveKit's FFI is released.
    await dispose();
  });

  test('synthesize() speaks the text as audible 32 kHz mono frames for the slt-hts voice', async () => {
    const engine = festival({ voice: 'slt-hts' });
    assert.equal(engine.sampleRate, 32_000);
    assertSpokenSentence(await frames(engine, 'Do you offer free shipping?'), 32_000);
  });

  test('the recogniser understands what the slt-hts voice says', async () => {
    const engine = festival({ voice: 'slt-hts' });
    const speech = await frames(engine, 'We are open from nine to five on weekdays.');
    const listener = new PocketSphinxSTT({ ...recogniser.paths });
    const stream = listener.stream();
    const finals: string[] = [];
    const reading = (async () => {
      for await (const event of stream) {
        const text = event.alternatives?.[0]?.text;
        if (event.type === stt.SpeechEventType.FINAL_TRANSCRIPT && text) finals.push(text);
      }
    })();
    for (const frame of speech) stream.pushFrame(frame);
    stream.endInput();
    await reading;
    await listener.close();
    const heard = finals.join(' ');
    assert.ok(wordErrorRate('we are open from nine to five on weekdays', heard) <= 0.25, heard);
  });

  test('one festival process speaks sentence after sentence, quotes and all', async () => {
    const engine = festival({ voice: 'kal' });
    assert.equal(engine.sampleRate, 16_000);
    const spoken = await Promise.all(
      ['Hello.', 'She said "yes" \\ then (no).', 'Goodbye.'].map((t) => frames(engine, t)),
    );
    for (const got of spoken) {
      assert.ok(got.length > 0 && rms(got) > 500, 'each sentence is audible');
      assert.equal(got[0]?.sampleRate, 16_000);
    }
    // The middle sentence is the longest: the answers came back to the right requests.
    const lengths = spoken.map((got) => got.length);
    assert.ok((lengths[1] ?? 0) > Math.max(lengths[0] ?? 0, lengths[2] ?? 0), `${lengths}`);
  });

  test('stream() speaks each sentence as it completes and ends the segment with a final frame', async () => {
    const engine = festival({ voice: 'slt-hts' });
    const stream = engine.stream();
    stream.pushText('We are open from nine to five on weekdays. ');
    stream.pushText('Shipping is free on orders over fifty dollars.');
    stream.flush();
    stream.endInput();
    const audio: tts.SynthesizedAudio[] = [];
    for await (const item of stream) {
      if (item === tts.SynthesizeStream.END_OF_STREAM) break;
      audio.push(item);
    }
    assert.deepEqual(
      audio.filter((a) => a.deltaText).map((a) => a.deltaText),
      [
        'We are open from nine to five on weekdays.',
        'Shipping is free on orders over fifty dollars.',
      ],
    );
    assert.deepEqual(
      audio.map((a) => a.final),
      audio.map((_, i) => i === audio.length - 1),
    );
  });

  test('when festival cannot run, synthesis fails with an APIError naming it', async () => {
    const engine = festival({ binPath: '/nonexistent/festival' });
    await assert.rejects(
      engine.render('Hello.', new AbortController().signal),
      (error: unknown) => {
        assert.ok(error instanceof APIError, String(error));
        assert.match(error.message, /cannot run \/nonexistent\/festival/);
        assert.equal(error.retryable, false);
        return true;
      },
    );
  });

  test('bad options are refused at construction', () => {
    assert.throws(() => new FestivalTTS({ voice: 'nope' as 'kal' }), /unknown festival voice/);
    assert.throws(() => new FestivalTTS({ heapCells: 0 }), /heapCells/);
  });

  test('schemeString escapes quotes and backslashes and keeps the text on one line', () => {
    assert.equal(schemeString('a "b" \\ c\nd'), '"a \\"b\\" \\\\ c d"');
  });
});
