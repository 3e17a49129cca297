import { inference, initializeLogger } from '@livekit/agents';
import * as silero from '@livekit/agents-plugin-silero';
import { PersonaSchema } from '@parley/server/contracts';
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { loadConfig } from './config.js';
import { buildPipeline, chooseEngine, createAgentSession, fliteVoiceFor } from './pipeline.js';
import { FliteTTS } from './providers/flite-tts.js';
import { PocketSphinxSTT } from './providers/pocketsphinx-stt.js';
import { ScriptedResponder } from './scripted/scripted-llm.js';

const config = loadConfig({
  PARLEY_AGENT_KEY: 'k',
  LIVEKIT_URL: 'ws://127.0.0.1:7880',
  LIVEKIT_API_KEY: 'devkey',
  LIVEKIT_API_SECRET: 'secret',
});

const persona = PersonaSchema.parse({
  id: 'shop',
  name: 'Shop',
  greeting: 'Hi!',
  instructions: '',
  knowledge: [{ question: 'Do you offer free shipping?', answer: 'Yes.' }],
});

describe('pipeline', () => {
  before(() => initializeLogger({ pretty: false, level: 'error' }));

  test('with no cloud engines, auto picks the offline stack for every stage', () => {
    const pipeline = buildPipeline(persona, config);
    assert.deepEqual(pipeline.engines, { stt: 'offline', llm: 'scripted', tts: 'offline' });
    assert.ok(pipeline.stt instanceof PocketSphinxSTT);
    assert.ok(pipeline.llm instanceof ScriptedResponder);
    assert.ok(pipeline.tts instanceof FliteTTS);
  });

  test('the offline STT is biased towards the persona questions', () => {
    const stt = buildPipeline(persona, config).stt as PocketSphinxSTT;
    assert.deepEqual(stt.options.biasPhrases, ['Do you offer free shipping?']);
    assert.equal(stt.options.binPath, config.pocketsphinx.binPath);
  });

  test('a cloud engine this build does not have falls back to the offline one', () => {
    const wanted = PersonaSchema.parse({
      ...persona,
      providers: { stt: 'deepgram', llm: 'openai' },
    });
    assert.deepEqual(buildPipeline(wanted, config).engines, {
      stt: 'offline',
      llm: 'scripted',
      tts: 'offline',
    });
  });

  test('auto prefers the first available cloud engine', () => {
    const available = { offline: 1, deepgram: 1 };
    assert.equal(chooseEngine('stt', 'auto', available, ['deepgram']), 'deepgram');
    assert.equal(chooseEngine('stt', 'auto', { offline: 1 }, ['deepgram']), 'offline');
    assert.equal(chooseEngine('stt', 'offline', available, ['deepgram']), 'offline');
  });

  test('a persona voice that names a Flite voice is used, anything else speaks with slt', () => {
    assert.equal(fliteVoiceFor('awb'), 'awb');
    assert.equal(fliteVoiceFor('default'), 'slt');
    assert.equal(fliteVoiceFor('sonic-english'), 'slt');
  });

  test('the session runs the local v1-mini turn detector and VAD interruptions', async () => {
    const pipeline = buildPipeline(persona, config);
    const vad = await silero.VAD.load();
    const session = createAgentSession(pipeline, vad);
    assert.equal(session.vad, vad);
    assert.equal(session.stt, pipeline.stt);
    assert.equal(session.llm, pipeline.llm);
    assert.equal(session.tts, pipeline.tts);
    assert.ok(session.turnDetection instanceof inference.TurnDetector);
    assert.equal(session.turnDetection.model, 'turn-detector-v1-mini');
    assert.equal(session.sessionOptions.turnHandling.interruption.mode, 'vad');
  });
});
