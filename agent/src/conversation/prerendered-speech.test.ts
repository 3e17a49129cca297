import { initializeLogger, type tts, type voice } from '@livekit/agents';
import type { AudioFrame } from '@livekit/rtc-node';
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { FliteTTS } from '../providers/flite-tts.js';
import { PrerenderedSpeech } from './prerendered-speech.js';

interface Said {
  text: string;
  frames?: AudioFrame[];
}

/** Stands in for an AgentSession: records what it was asked to say, and the audio given. */
function recordingSession() {
  const said: Promise<Said>[] = [];
  const session = {
    say(text: string, options?: { audio?: ReadableStream<AudioFrame> }) {
      said.push(
        (async () => {
          if (!options?.audio) return { text };
          const frames: AudioFrame[] = [];
          for await (const frame of options.audio) frames.push(frame);
          return { text, frames };
        })(),
      );
    },
  } as unknown as voice.AgentSession;
  return { session, said: () => Promise.all(said) };
}

function quietLogger() {
  const warnings: string[] = [];
  return { warnings, warn: (_: object, msg: string) => void warnings.push(msg) };
}

const samplesOf = (frames: readonly AudioFrame[]) =>
  frames.reduce((n, frame) => n + frame.samplesPerChannel, 0);

describe('PrerenderedSpeech', () => {
  before(() => initializeLogger({ pretty: false, level: 'error' }));

  test('prepared lines are said in order with the audio the engine rendered for them', async () => {
    const engine = new FliteTTS({ voice: 'slt' });
    const opening = new PrerenderedSpeech(engine, quietLogger());
    const lines = ['Hi! How can I help?', 'I am an automated assistant.'];
    opening.prepare(lines);
    const { session, said } = recordingSession();
    await opening.sayAll(session, lines);
    const spoken = await said();
    assert.deepEqual(
      spoken.map((s) => s.text),
      lines,
    );
    const direct = await engine.synthesize(lines[0] ?? '').collect();
    for (const line of spoken) {
      assert.ok(line.frames && line.frames.length > 0, `"${line.text}" came with its audio`);
      assert.equal(line.frames[0]?.sampleRate, engine.sampleRate);
    }
    // The greeting's audio is the engine's own rendering of it, not some other line's.
    assert.equal(samplesOf(spoken[0]?.frames ?? []), direct.samplesPerChannel);
    assert.notEqual(samplesOf(spoken[1]?.frames ?? []), direct.samplesPerChannel);
    await engine.close();
  });

  test('a line that was not prepared (the greeting came out different) is said without audio, through the TTS', async () => {
    const engine = new FliteTTS({ voice: 'slt' });
    const opening = new PrerenderedSpeech(engine, quietLogger());
    opening.prepare(['Hello caller.']);
    const { session, said } = recordingSession();
    await opening.sayAll(session, ['Hello +15550001111.']);
    assert.deepEqual(await said(), [{ text: 'Hello +15550001111.' }]);
    await engine.close();
  });

  test('the engine is given the text as the session would speak it (markdown and emoji filtered)', async () => {
    const asked: string[] = [];
    const failing = {
      synthesize(text: string) {
        asked.push(text);
        throw new Error('engine down');
      },
    } as unknown as tts.TTS;
    const logger = quietLogger();
    const opening = new PrerenderedSpeech(failing, logger);
    opening.prepare(['**Welcome** to the shop 😀']);
    const { session, said } = recordingSession();
    await opening.sayAll(session, ['**Welcome** to the shop 😀']);
    assert.equal(asked.length, 1);
    assert.doesNotMatch(asked[0] ?? '', /\*|😀/u);
    assert.match(asked[0] ?? '', /Welcome to the shop/);
    // A failed rendering loses nothing: the line is said, and the TTS gets its own try.
    assert.deepEqual(await said(), [{ text: '**Welcome** to the shop 😀' }]);
    assert.equal(logger.warnings.length, 1);
  });
});
