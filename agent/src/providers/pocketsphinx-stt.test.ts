import { initializeLogger, stt } from '@livekit/agents';
import { AudioFrame, AudioResampler, dispose } from '@livekit/rtc-node';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { wordErrorRate } from '../text/word-error-rate.js';
import { buildBiasLanguageModel } from './bias-language-model.js';
import { FliteTTS } from './flite-tts.js';
import { PocketSphinxSTT } from './pocketsphinx-stt.js';
import { recogniserPaths } from '../../test/recogniser-paths.js';

let recogniser: ReturnType<typeof recogniserPaths>;

/** Speech as a call delivers it: Flite's voice at 48 kHz, in 10 ms frames. */
async function speak(text: string, rate = 48_000): Promise<AudioFrame[]> {
  const voice = await new FliteTTS({ voice: 'slt' }).synthesize(text).collect();
  const resampler = new AudioResampler(voice.sampleRate, rate);
  const pcm = [...resampler.push(voice), ...resampler.flush()].flatMap((f) => [...f.data]);
  resampler.close();
  const frames: AudioFrame[] = [];
  const step = rate / 100;
  for (let i = 0; i < pcm.length; i += step) {
    const data = Int16Array.from(pcm.slice(i, i + step));
    frames.push(new AudioFrame(data, rate, 1, data.length));
  }
  return frames;
}

function silence(ms: number, rate = 48_000): AudioFrame {
  const n = (rate * ms) / 1000;
  return new AudioFrame(new Int16Array(n), rate, 1, n);
}

async function collect(stream: stt.SpeechStream): Promise<stt.SpeechEvent[]> {
  const events: stt.SpeechEvent[] = [];
  for await (const ev of stream) events.push(ev);
  return events;
}

const text = (ev: stt.SpeechEvent | undefined) => ev?.alternatives?.[0]?.text ?? '';

describe('PocketSphinxSTT', () => {
  before(() => {
    initializeLogger({ pretty: false, level: 'warn' });
    recogniser = recogniserPaths();
  });
  after(async () => {
    recogniser.remove();
    // The native resampler keeps the process alive until LiveKit's FFI is released.
    await dispose();
  });

  test('a spoken question streams start, interim, final and end events with its words', async () => {
    const engine = new PocketSphinxSTT({ ...recogniser.paths });
    const stream = engine.stream();
    const events = collect(stream);
    for (const frame of await speak('What are your opening hours?')) stream.pushFrame(frame);
    stream.pushFrame(silence(1000));
    stream.endInput();
    const got = await events;

    const types = got.map((e) => e.type);
    const order = [
      stt.SpeechEventType.START_OF_SPEECH,
      stt.SpeechEventType.INTERIM_TRANSCRIPT,
      stt.SpeechEventType.FINAL_TRANSCRIPT,
      stt.SpeechEventType.END_OF_SPEECH,
    ].map((t) => types.indexOf(t));
    assert.ok(
      order.every((i) => i >= 0),
      `missing events in ${types.join(',')}`,
    );
    assert.deepEqual(
      [...order].sort((a, b) => a - b),
      order,
      `out of order: ${types.join(',')}`,
    );

    const final = got.find((e) => e.type === stt.SpeechEventType.FINAL_TRANSCRIPT);
    assert.match(text(final), /opening/);
    assert.match(text(final), /hours/);
    assert.ok(wordErrorRate('what are your opening hours', text(final)) <= 0.2, text(final));
    const data = final?.alternatives?.[0];
    assert.ok(data && data.endTime > data.startTime, 'utterance has a duration');
    assert.equal(data.language, 'en-US');
    await engine.close();
  });

  test('a question after seconds of silence at the start of a call is still recognised', async () => {
    // Calls start silent; that silence must not skew the recogniser's normalisation (it did:
    // "do you offer free shipping" came out as "do you prefer you should").
    const engine = new PocketSphinxSTT({ ...recogniser.paths });
    const stream = engine.stream();
    const events = collect(stream);
    for (let i = 0; i < 700; i++) stream.pushFrame(silence(10));
    for (const frame of await speak('Do you offer free shipping?')) stream.pushFrame(frame);
    stream.pushFrame(silence(1000));
    stream.endInput();
    const finals = (await events).filter((e) => e.type === stt.SpeechEventType.FINAL_TRANSCRIPT);
    assert.deepEqual(finals.map(text), ['do you offer free shipping']);
  });

  test('flush() ends the utterance at once, without waiting for silence', async () => {
    // A second of silence would be needed before the recogniser ended the utterance itself.
    const engine = new PocketSphinxSTT({ ...recogniser.paths, vadPostspeechFrames: 100 });
    const stream = engine.stream();
    const events = collect(stream);
    for (const frame of await speak('Do you offer free shipping?')) stream.pushFrame(frame);
    stream.flush();
    stream.endInput();
    const finals = (await events).filter((e) => e.type === stt.SpeechEventType.FINAL_TRANSCRIPT);
    assert.equal(finals.length, 1);
    assert.match(text(finals[0]), /free shipping/);
  });

  test('biasing towards the persona questions keeps their key words', async () => {
    const questions = ['What are your opening hours?', 'Do you offer free shipping?'];
    const engine = new PocketSphinxSTT({ ...recogniser.paths, biasPhrases: questions });
    const result = await engine.recognize(await speak('Do you offer free shipping?', 16_000));
    assert.match(text(result), /offer free shipping/);
    await engine.close();
  });

  test('recognize() transcribes a whole buffer at once', async () => {
    const engine = new PocketSphinxSTT({ ...recogniser.paths });
    const frames = [...(await speak('Where are you located?')), silence(500)];
    const result = await engine.recognize(frames);
    assert.equal(result.type, stt.SpeechEventType.FINAL_TRANSCRIPT);
    assert.match(text(result), /where are you located/);
  });

  test('a missing shim fails the stream with a non-retryable error', async () => {
    const engine = new PocketSphinxSTT({
      ...recogniser.paths,
      binPath: '/nonexistent/parley-ps-stream',
    });
    const errors: { recoverable: boolean; error: Error }[] = [];
    engine.on('error', (e) => errors.push(e));
    const stream = engine.stream();
    const events = collect(stream);
    stream.pushFrame(silence(100));
    await events;
    assert.equal(errors.length, 1);
    assert.equal(errors[0]?.recoverable, false);
    assert.match(errors[0]?.error.message ?? '', /nonexistent/);
  });
});

describe('buildBiasLanguageModel', () => {
  test('writes an ARPA trigram model whose header counts match its sections', () => {
    const arpa = buildBiasLanguageModel(['What are your opening hours?', 'Open 24 hours?']);
    const count = (section: string) => {
      const body = arpa.split(`\\${section}-grams:\n`)[1]?.split('\n\n')[0] ?? '';
      return body.split('\n').filter(Boolean).length;
    };
    for (const n of [1, 2, 3]) {
      assert.match(arpa, new RegExp(`ngram ${n}=${count(String(n))}\\n`));
    }
    assert.match(arpa, /\n-\d+\.\d+ what are your\n/);
    assert.doesNotMatch(arpa, / 24( |\n)/, 'words with digits are left out');
    assert.ok(arpa.trimEnd().endsWith('\\end\\'));
  });

  test('refuses to build from nothing', () => {
    assert.throws(() => buildBiasLanguageModel(['...']), /at least one sentence/);
  });
});
