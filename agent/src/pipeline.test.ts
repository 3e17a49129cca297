import { inference, initializeLogger, llm, stt, voice } from '@livekit/agents';
import * as silero from '@livekit/agents-plugin-silero';
import { PersonaSchema } from '@parley/contracts';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadConfig } from './config.js';
import { AGENT_DIR } from './package-dir.js';
import { buildPipeline, chooseChain, createAgentSession, type Pipeline } from './pipeline.js';
import { PersonaAgent } from './conversation/persona-agent.js';
import { personaInstructions } from './personas/persona-instructions.js';
import { MissingProviderKeyError } from './providers/cloud-keys.js';
import { type FallbackEvent, HandledErrorsTTSFallback } from './providers/fallback-chains.js';
import { FestivalTTS } from './providers/festival-tts.js';
import { FliteTTS } from './providers/flite-tts.js';
import { PocketSphinxSTT } from './providers/pocketsphinx-stt.js';
import { CALLER_PHRASES } from './scripted/caller-phrases.js';
import { ScriptedResponder } from './scripted/scripted-llm.js';
import { TranscriptAwareTurnDetector } from './turn/transcript-aware-turn-detector.js';

const BASE_ENV = {
  PARLEY_AGENT_KEY: 'k',
  LIVEKIT_URL: 'ws://127.0.0.1:7880',
  LIVEKIT_API_KEY: 'devkey',
  LIVEKIT_API_SECRET: 'secret',
};
const config = loadConfig(BASE_ENV);
const KEYS = { DEEPGRAM_API_KEY: 'dg', OPENAI_API_KEY: 'oa', CARTESIA_API_KEY: 'ca' };
const withKeys = loadConfig({ ...BASE_ENV, ...KEYS });

const LOADED_PLUGINS = fileURLToPath(new URL('../test/loaded-plugins.fixture.ts', import.meta.url));

interface PluginsLoaded {
  before: string[];
  after: string[];
  engines: Record<string, string[]>;
}

/**
 * Which LiveKit plugins a fresh process had loaded before and after building each pipeline, one
 * per `stt,llm,tts` in `personas`, in that order.
 */
async function pluginsLoadedBuilding(...personas: string[]): Promise<PluginsLoaded[]> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', LOADED_PLUGINS, ...personas],
    { cwd: AGENT_DIR },
  );
  return stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as PluginsLoaded);
}

const persona = PersonaSchema.parse({
  id: 'shop',
  name: 'Shop',
  greeting: 'Hi!',
  instructions: '',
  knowledge: [{ question: 'Do you offer free shipping?', answer: 'Yes.' }],
});

describe('pipeline', () => {
  before(() => initializeLogger({ pretty: false, level: 'error' }));

  test('with no cloud keys, auto picks the offline stack for every stage', async () => {
    const pipeline = await buildPipeline(persona, config);
    assert.deepEqual(pipeline.engines, { stt: ['offline'], llm: ['scripted'], tts: ['offline'] });
    assert.ok(pipeline.stt instanceof PocketSphinxSTT);
    assert.ok(pipeline.llm instanceof ScriptedResponder);
    assert.ok(pipeline.tts instanceof FliteTTS);
  });

  test('the offline STT is biased towards what callers of the persona say', async () => {
    const withPhrases = {
      ...persona,
      escalation: { ...persona.escalation, phrases: ['a real person'] },
      handoffs: [
        { personaId: 'sales', when: 'buying', phrases: ['buy in bulk'], keepVoice: false },
      ],
      clientTools: [
        {
          name: 'cart',
          description: 'cart',
          parameters: { type: 'object' as const },
          timeoutMs: 1000,
          phrases: ['my cart'],
        },
      ],
    };
    const stt = (await buildPipeline(withPhrases, config)).stt as PocketSphinxSTT;
    assert.deepEqual(stt.options.biasPhrases, [
      'Do you offer free shipping?',
      ...CALLER_PHRASES,
      'a real person',
      'buy in bulk',
      'my cart',
    ]);
    assert.equal(stt.options.binPath, config.pocketsphinx.binPath);
  });

  test('with every key set, auto runs each stage as a chain: cloud first, offline last', async () => {
    const pipeline = await buildPipeline(persona, withKeys);
    assert.deepEqual(pipeline.engines, {
      stt: ['deepgram', 'offline'],
      llm: ['openai', 'scripted'],
      tts: ['cartesia', 'offline'],
    });
    assert.ok(pipeline.stt instanceof stt.FallbackAdapter);
    assert.ok(pipeline.llm instanceof llm.FallbackAdapter);
    assert.ok(pipeline.tts instanceof HandledErrorsTTSFallback);
    await pipeline.close();
  });

  test('a persona that names the offline engines gets them alone, keys or not', async () => {
    const offline = PersonaSchema.parse({
      ...persona,
      providers: { stt: 'offline', llm: 'scripted', tts: 'offline' },
    });
    const pipeline = await buildPipeline(offline, withKeys);
    assert.deepEqual(pipeline.engines, { stt: ['offline'], llm: ['scripted'], tts: ['offline'] });
    assert.ok(pipeline.llm instanceof ScriptedResponder);
  });

  test('a persona that names a cloud provider without its key fails, naming the variable', async () => {
    const cases = [
      [{ stt: 'deepgram' }, 'DEEPGRAM_API_KEY', 'deepgram STT'],
      [{ llm: 'openai' }, 'OPENAI_API_KEY', 'openai LLM'],
      [{ tts: 'cartesia' }, 'CARTESIA_API_KEY', 'cartesia TTS'],
    ] as const;
    for (const [providers, key, what] of cases) {
      const wanted = PersonaSchema.parse({ ...persona, providers });
      await assert.rejects(
        buildPipeline(wanted, config),
        (error: unknown) =>
          error instanceof MissingProviderKeyError &&
          error.key === key &&
          error.code === 'provider_key_missing' &&
          error.message === `${key} is not set but persona 'shop' asks for ${what}`,
      );
    }
  });

  test('a call on the offline engines never loads a cloud plugin; one using a cloud engine loads them then', async () => {
    // One process, offline first: what the cartesia persona loads shows the check can see plugins.
    const [offline, cartesia, ...more] = await pluginsLoadedBuilding(
      'offline,scripted,offline',
      'offline,scripted,cartesia',
    );
    assert.ok(offline && cartesia && more.length === 0);
    assert.deepEqual(offline.engines, { stt: ['offline'], llm: ['scripted'], tts: ['offline'] });
    assert.deepEqual(offline.before, []);
    assert.deepEqual(offline.after, []);
    assert.deepEqual(cartesia.engines.tts, ['cartesia', 'offline']);
    assert.deepEqual(cartesia.before, []); // nothing left over from the offline pipeline
    // The cloud engines share one module, so the other two come along with the one used.
    assert.deepEqual(cartesia.after, ['cartesia', 'deepgram', 'openai']);
  });

  test('a named cloud provider with its key runs first, the offline engine backs it up', () => {
    const cloud = withKeys.cloud;
    assert.deepEqual(chooseChain('stt', 'deepgram', ['deepgram'], cloud, 'p'), [
      'deepgram',
      'offline',
    ]);
    assert.deepEqual(chooseChain('llm', 'auto', ['openai'], config.cloud, 'p'), ['scripted']);
  });

  test('a language model gets the persona knowledge and fallback line in its instructions', () => {
    const instructions = personaInstructions(persona);
    assert.equal(new PersonaAgent({ persona, values: {}, tools: {} }).instructions, instructions);
    assert.match(instructions, /Q: Do you offer free shipping\?\nA: Yes\./);
    assert.ok(instructions.includes(`say: "${persona.fallback}"`));
  });

  test("the offline TTS speaks with the persona's offline voice", async () => {
    const pipeline = await buildPipeline({ ...persona, voice: 'festival:kal' }, config);
    assert.ok(pipeline.tts instanceof FestivalTTS);
    assert.equal(pipeline.tts.options.voice, 'kal');
    await pipeline.close();
  });

  test('the session runs the local v1-mini turn detector and VAD interruptions', async () => {
    const pipeline = await buildPipeline(persona, config);
    const vad = await silero.VAD.load();
    const session = createAgentSession(pipeline, vad, persona.turnTaking);
    assert.equal(session.vad, vad);
    assert.equal(session.stt, pipeline.stt);
    assert.equal(session.llm, pipeline.llm);
    assert.equal(session.tts, pipeline.tts);
    assert.ok(session.turnDetection instanceof inference.TurnDetector);
    assert.equal(session.turnDetection.model, 'turn-detector-v1-mini');
    assert.equal(session.sessionOptions.turnHandling.interruption.mode, 'vad');
  });

  test("the persona's turn-taking settings reach the session", async () => {
    const turnTaking = {
      ...persona.turnTaking,
      minEndpointingDelayMs: 250,
      maxEndpointingDelayMs: 1_800,
      interruptions: false,
      minInterruptionDurationMs: 700,
    };
    const vad = await silero.VAD.load();
    const session = createAgentSession(await buildPipeline(persona, config), vad, turnTaking);
    const { endpointing, interruption } = session.sessionOptions.turnHandling;
    assert.equal(endpointing.minDelay, 250);
    assert.equal(endpointing.maxDelay, 1_800);
    assert.equal(interruption.enabled, false);
    assert.equal(interruption.minDuration, 700);
  });

  test('the turn detector reads final transcripts while the offline recogniser transcribes', async () => {
    const offline = await buildPipeline(persona, config);
    let fallback: ((event: FallbackEvent) => void) | undefined;
    const chained: Pipeline = {
      ...offline,
      engines: { ...offline.engines, stt: ['deepgram', 'offline'] },
      onFallback(listener) {
        fallback = listener;
        return () => undefined;
      },
    };
    const session = createAgentSession(chained, await silero.VAD.load(), persona.turnTaking);
    const detector = session.turnDetection;
    assert.ok(detector instanceof TranscriptAwareTurnDetector);
    const hear = (transcript: string, isFinal = true) =>
      session.emit(
        voice.AgentSessionEventTypes.UserInputTranscribed,
        voice.createUserInputTranscribedEvent({ transcript, isFinal }),
      );

    hear('What are your'); // Deepgram transcribes: its words are left to the model
    assert.equal(detector.ending, 'unknown');
    fallback?.({ stage: 'stt', engine: 'deepgram', available: false });
    hear('what are your', false);
    assert.equal(detector.ending, 'unknown');
    hear('what are your');
    assert.equal(detector.ending, 'unfinished');
    fallback?.({ stage: 'stt', engine: 'deepgram', available: true });
    hear('Opening hours?');
    assert.equal(detector.ending, 'unfinished');
    await offline.close();
  });

  test('instructions and greeting are filled from variables; unknown placeholders go empty', () => {
    const templated = {
      ...persona,
      instructions: 'You help {{customer}} on {{channel}}. {{nothing}}',
      greeting: 'Hi {{customer}}!',
    };
    const agent = new PersonaAgent({
      persona: templated,
      values: { customer: 'Ada', channel: 'web' },
      tools: {},
    });
    assert.match(agent.instructions as string, /^You help Ada on web\. /);
    assert.equal(agent.greeting, 'Hi Ada!');
    assert.deepEqual(agent.openingLines(), ['Hi Ada!']);
    const disclosing = new PersonaAgent({
      persona: { ...templated, disclosure: { ...templated.disclosure, atStart: true } },
      values: { customer: 'Ada' },
      tools: {},
    });
    assert.deepEqual(disclosing.openingLines(), ['Hi Ada!', templated.disclosure.line]);
  });
});
