import { initializeLogger, tts } from '@livekit/agents';
import type { AudioFrame } from '@livekit/rtc-node';
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { FliteTTS } from './flite-tts.js';
import { withoutLeadingSilence } from './sentence-tts.js';
import { parseWav } from './wav.js';
import {
  assertSpokenSentence,
  framesRms as rms,
  synthesizedFrames,
} from '../../test/spoken-audio.js';

describe('FliteTTS', () => {
  before(() => initializeLogger({ pretty: false, level: 'warn' }));

  test('synthesize() speaks the text as audible 16 kHz mono frames for the slt voice', async () => {
    const engine = new FliteTTS({ voice: 'slt' });
    assert.equal(engine.sampleRate, 16_000);
    assertSpokenSentence(await synthesizedFrames(engine, 'Do you offer free shipping?'), 16_000);
  });

  test("the first frame is already speech: Flite's leading silence is cut, 20 ms before the onset kept", async () => {
    const engine = new FliteTTS({ voice: 'slt', frameMs: 10 });
    const frames: AudioFrame[] = [];
    for await (const audio of engine.synthesize('We are open nine to five.'))
      frames.push(audio.frame);
    const firstLoud = frames.findIndex((f) => rms([f]) >= 328);
    assert.ok(firstLoud >= 0 && firstLoud <= 3, `first loud 10 ms frame is #${firstLoud}`);
  });

  test('withoutLeadingSilence keeps audio that starts loud, and silence that never ends', () => {
    const loud = new Int16Array(1600).fill(3000);
    const silentThenLoud = new Int16Array(3200);
    silentThenLoud.fill(3000, 1600);
    assert.equal(withoutLeadingSilence(loud, 16_000).length, 1600);
    // 100 ms of silence: 20 ms (320 samples) of it stay before the sound.
    assert.equal(withoutLeadingSilence(silentThenLoud, 16_000).length, 1600 + 320);
    assert.equal(withoutLeadingSilence(new Int16Array(800), 16_000).length, 800);
  });

  test('the kal voice speaks at its own 8 kHz', async () => {
    const engine = new FliteTTS({ voice: 'kal' });
    assert.equal(engine.sampleRate, 8_000);
    const frame = await engine.synthesize('Hello.').collect();
    assert.equal(frame.sampleRate, 8_000);
    assert.ok(rms([frame]) > 500);
  });

  test('stream() speaks each sentence as it completes and ends each segment with a final frame', async () => {
    const engine = new FliteTTS({ voice: 'slt' });
    const stream = engine.stream();
    const started = performance.now();
    stream.pushText('We are open from nine to five on weekdays. ');
    stream.pushText('Shipping is free');
    let firstAudioMs: number | undefined;
    const segments = new Map<string, { frames: number; finals: number; text: string }>();
    let endOfStream = 0;
    let pushedRest = false;
    for await (const item of stream) {
      if (item === tts.SynthesizeStream.END_OF_STREAM) {
        endOfStream++;
        break;
      }
      // The first sentence must play before the rest of the text has even arrived.
      if (!pushedRest) {
        firstAudioMs = performance.now() - started;
        stream.pushText(' over fifty dollars.');
        stream.endInput();
        pushedRest = true;
      }
      const s = segments.get(item.segmentId) ?? { frames: 0, finals: 0, text: '' };
      s.frames++;
      if (item.final) s.finals++;
      s.text += item.deltaText ?? '';
      segments.set(item.segmentId, s);
    }
    assert.equal(endOfStream, 1);
    assert.equal(segments.size, 1);
    const [segment] = [...segments.values()];
    assert.equal(segment?.finals, 1);
    assert.equal(
      segment?.text,
      'We are open from nine to five on weekdays.Shipping is free over fifty dollars.',
    );
    assert.ok(firstAudioMs !== undefined && firstAudioMs < 2_000, `first audio ${firstAudioMs} ms`);
  });

  test('closing a stream while it speaks (an interruption) stops it without an error', async () => {
    const engine = new FliteTTS();
    const errors: unknown[] = [];
    engine.on('error', (e) => errors.push(e));
    const stream = engine.stream();
    stream.pushText('This first sentence is spoken until the caller interrupts it. ');
    stream.pushText('This second sentence should never be spoken, because of the interruption.');
    stream.endInput();
    let frames = 0;
    for await (const item of stream) {
      if (item === tts.SynthesizeStream.END_OF_STREAM) continue;
      frames++;
      if (frames === 1) stream.close();
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    // At most what was already queued arrives: the reply is about 7 s, 140 frames of 50 ms.
    assert.ok(frames < 20, `${frames} frames after the interruption`);
    assert.deepEqual(errors, []);
  });

  test('an unknown voice is refused at construction', () => {
    assert.throws(() => new FliteTTS({ voice: 'nope' as 'slt' }), /unknown flite voice/);
  });
});

describe('parseWav', () => {
  test('reads the format and samples of a 16-bit PCM file', () => {
    const header = Buffer.alloc(44);
    header.write('RIFF', 0);
    header.writeUInt32LE(36 + 4, 4);
    header.write('WAVEfmt ', 8);
    header.writeUInt32LE(16, 16);
    header.writeUInt16LE(1, 20);
    header.writeUInt16LE(1, 22);
    header.writeUInt32LE(22_050, 24);
    header.writeUInt32LE(44_100, 28);
    header.writeUInt16LE(2, 32);
    header.writeUInt16LE(16, 34);
    header.write('data', 36);
    header.writeUInt32LE(0xffffffff, 40); // size unknown, as when streamed
    const samples = Buffer.from(new Int16Array([1, -2]).buffer);
    const wav = parseWav(Buffer.concat([header, samples]));
    assert.equal(wav.sampleRate, 22_050);
    assert.equal(wav.channels, 1);
    assert.deepEqual([...wav.samples], [1, -2]);
  });

  test('refuses what is not a WAV file', () => {
    assert.throws(() => parseWav(Buffer.from('hello world, not audio')), /RIFF/);
  });
});
