import { inference, type llm, log, type stt, type tts, type VAD, voice } from '@livekit/agents';
import type { Persona } from '@parley/server/contracts';
import type { AgentConfig } from './config.js';
import { FliteTTS, type FliteVoice, isFliteVoice } from './providers/flite-tts.js';
import { PocketSphinxSTT } from './providers/pocketsphinx-stt.js';
import { ScriptedResponder } from './scripted/scripted-llm.js';

type SttChoice = Persona['providers']['stt'];
type LlmChoice = Persona['providers']['llm'];
type TtsChoice = Persona['providers']['tts'];

/** What a stage's factory gets to build its engine from. */
export interface ProviderContext {
  persona: Persona;
  config: AgentConfig;
}

type Factory<T> = (ctx: ProviderContext) => T;

/**
 * Engines per stage, by the name a persona uses in `providers`. Only the offline stack is here
 * today. Cloud engines (Deepgram, OpenAI, Cartesia) go in under their names when their
 * credentials are set, and into `AUTO_PREFERENCE` so that `auto` picks them first.
 */
export const STT_ENGINES: Partial<Record<SttChoice, Factory<stt.STT>>> = {
  offline: ({ persona, config }) => {
    if (!/^en\b/i.test(persona.language)) {
      log().warn({ language: persona.language }, 'the offline STT only understands English');
    }
    return new PocketSphinxSTT({
      ...config.pocketsphinx,
      language: persona.language,
      // Callers mostly ask what the persona knows: bias recognition towards those questions.
      biasPhrases: persona.knowledge.map((k) => k.question),
    });
  },
};

export const LLM_ENGINES: Partial<Record<LlmChoice, Factory<llm.LLM>>> = {
  scripted: ({ persona }) => new ScriptedResponder(persona),
};

export const TTS_ENGINES: Partial<Record<TtsChoice, Factory<tts.TTS>>> = {
  offline: ({ persona, config }) =>
    new FliteTTS({ binPath: config.fliteBin, voice: fliteVoiceFor(persona.voice) }),
};

/** Cloud engines in order of preference for `auto`; empty until cloud providers land. */
const AUTO_PREFERENCE = {
  stt: [] as SttChoice[],
  llm: [] as LlmChoice[],
  tts: [] as TtsChoice[],
};
const OFFLINE = { stt: 'offline', llm: 'scripted', tts: 'offline' } as const;

/** The persona's voice if it names a Flite voice; Flite's clearest voice otherwise. */
export function fliteVoiceFor(voice: string): FliteVoice {
  return isFliteVoice(voice) ? voice : 'slt';
}

/**
 * The engine that runs a stage: the persona's choice if this build has it, for `auto` the
 * first available cloud engine, and the offline engine otherwise.
 */
export function chooseEngine<C extends string>(
  stage: keyof typeof OFFLINE,
  requested: C | 'auto',
  available: Partial<Record<C, unknown>>,
  preference: readonly C[],
): C {
  const offline = OFFLINE[stage] as C;
  if (requested === 'auto') return preference.find((c) => c in available) ?? offline;
  if (requested in available) return requested;
  log().warn({ stage, requested, using: offline }, 'provider not available in this build');
  return offline;
}

function create<C extends string, T>(
  engines: Partial<Record<C, Factory<T>>>,
  name: C,
  ctx: ProviderContext,
): T {
  const factory: Factory<T> | undefined = engines[name];
  if (!factory) throw new Error(`no engine '${name}' is registered`);
  return factory(ctx);
}

export interface Pipeline {
  stt: stt.STT;
  llm: llm.LLM;
  tts: tts.TTS;
  /** Which engine runs each stage, for logs and call records. */
  engines: { stt: SttChoice; llm: LlmChoice; tts: TtsChoice };
}

/** Builds the STT, LLM and TTS for a persona. */
export function buildPipeline(persona: Persona, config: AgentConfig): Pipeline {
  const ctx: ProviderContext = { persona, config };
  const { providers } = persona;
  const engines = {
    stt: chooseEngine('stt', providers.stt, STT_ENGINES, AUTO_PREFERENCE.stt),
    llm: chooseEngine('llm', providers.llm, LLM_ENGINES, AUTO_PREFERENCE.llm),
    tts: chooseEngine('tts', providers.tts, TTS_ENGINES, AUTO_PREFERENCE.tts),
  };
  return {
    stt: create(STT_ENGINES, engines.stt, ctx),
    llm: create(LLM_ENGINES, engines.llm, ctx),
    tts: create(TTS_ENGINES, engines.tts, ctx),
    engines,
  };
}

/**
 * The voice session for a call. Turn-taking runs entirely on this machine: the local
 * `v1-mini` end-of-turn model and VAD-based interruptions. Left unpinned, the framework would
 * pick LiveKit Cloud's models in dev mode.
 */
export function createAgentSession(pipeline: Pipeline, vad: VAD): voice.AgentSession {
  return new voice.AgentSession({
    stt: pipeline.stt,
    llm: pipeline.llm,
    tts: pipeline.tts,
    vad,
    turnHandling: {
      turnDetection: new inference.TurnDetector({ version: 'v1-mini' }),
      interruption: { mode: 'vad' },
    },
  });
}

/** The agent a session runs: the persona's instructions, no tools yet. */
export function createPersonaAgent(persona: Persona): voice.Agent {
  return new voice.Agent({ instructions: persona.instructions || `You are ${persona.name}.` });
}
