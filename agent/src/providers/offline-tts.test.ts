import { initializeLogger, log } from '@livekit/agents';
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { FestivalTTS } from './festival-tts.js';
import { FliteTTS } from './flite-tts.js';
import { createOfflineTTS, DEFAULT_OFFLINE_VOICE, OFFLINE_VOICES } from './offline-tts.js';
import type { SentenceTTS } from './sentence-tts.js';

describe('createOfflineTTS', () => {
  before(() => initializeLogger({ pretty: false, level: 'fatal' }));

  const voiceOf = (engine: SentenceTTS) =>
    `${engine.provider}:${engine.model.split('-').slice(1).join('-')}`;

  test("default speaks with Flite's rms voice", () => {
    const engine = createOfflineTTS('default');
    assert.ok(engine instanceof FliteTTS);
    assert.equal(engine.options.voice, 'rms');
    assert.equal(voiceOf(engine), DEFAULT_OFFLINE_VOICE);
  });

  test('a festival voice gets a Festival engine with that voice', async () => {
    const engine = createOfflineTTS('festival:slt-hts', { festivalBin: '/usr/bin/festival' });
    try {
      assert.ok(engine instanceof FestivalTTS);
      assert.deepEqual(
        [engine.options.voice, engine.options.binPath],
        ['slt-hts', '/usr/bin/festival'],
      );
    } finally {
      await engine.close();
    }
  });

  test('every listed voice builds its engine, and bare Flite names still select Flite', async () => {
    for (const voice of OFFLINE_VOICES) {
      const engine = createOfflineTTS(voice);
      assert.equal(voiceOf(engine), voice);
      await engine.close();
    }
    const awb = createOfflineTTS('awb', { fliteBin: '/opt/flite' });
    assert.ok(awb instanceof FliteTTS);
    assert.deepEqual([awb.options.voice, awb.options.binPath], ['awb', '/opt/flite']);
  });

  test('an unknown voice falls back to the default with one logged warning per name', async (t) => {
    const warn = t.mock.method(log(), 'warn');
    for (const voice of ['festival:nope', 'festival:nope', 'sonic-english']) {
      const engine = createOfflineTTS(voice);
      assert.equal(voiceOf(engine), DEFAULT_OFFLINE_VOICE);
      await engine.close();
    }
    assert.deepEqual(
      warn.mock.calls.map((c) => (c.arguments[0] as unknown as { voice: string }).voice),
      ['festival:nope', 'sonic-english'],
    );
    assert.match(String(warn.mock.calls[0]?.arguments[1]), /not an offline voice/);
  });

  test('default is not an unknown voice: nothing is logged', async (t) => {
    const warn = t.mock.method(log(), 'warn');
    await createOfflineTTS('default').close();
    assert.equal(warn.mock.callCount(), 0);
  });
});
