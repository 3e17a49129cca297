import { type llm, log, type stt, type tts, type VAD, voice } from '@livekit/agents';
import type { Persona } from '@parley/contracts';
import type { AgentConfig, CloudConfig } from './config.js';
import { isCloudProvider, MissingProviderKeyError, missingKey } from './providers/cloud-keys.js';
import {
  type FallbackEvent,
  llmChain,
  type NamedEngine,
  sttChain,
  ttsChain,
} from './providers/fallback-chains.js';
import { createOfflineTTS } from './providers/offline-tts.js';
import { PocketSphinxSTT } from './providers/pocketsphinx-stt.js';
import { CALLER_PHRASES } from './scripted/caller-phrases.js';
import { ScriptedResponder } from './scripted/scripted-llm.js';
import { TranscriptAwareTurnDetector } from './turn/transcript-aware-turn-detector.js';

type SttChoice = Persona['providers']['stt'];
type LlmChoice = Persona['providers']['llm'];
type TtsChoice = Persona['providers']['tts'];
/** An engine name: what a persona may ask for, except `auto`. */
export type SttEngine = Exclude<SttChoice, 'auto'>;
export type LlmEngine = Exclude<LlmChoice, 'auto'>;
export type TtsEngine = Exclude<TtsChoice, 'auto'>;

/** What a stage's factory gets to build its engine from. */
export interface ProviderContext {
  persona: Persona;
  config: AgentConfig;
}

type Factory<T> = (ctx: ProviderContext) => T | Promise<T>;

/**
 * The cloud engines and, with them, LiveKit's Deepgram, OpenAI and Cartesia plugins: imported the
 * first time a call's pipeline uses one, so a call on the offline engines never loads them.
 */
const cloudEngines = () => import('./providers/cloud-engines.js');

/** Engines per stage, by the name a persona uses in `providers`. */
export const STT_ENGINES: Record<SttEngine, Factory<stt.STT>> = {
  offline: ({ persona, config }) => {
    if (!/^en\b/i.test(persona.language)) {
      log().warn({ language: persona.language }, 'the offline STT only understands English');
    }
    return new PocketSphinxSTT({
      ...config.pocketsphinx,
      language: persona.language,
      // Callers mostly ask what the persona knows or can do: bias recognition towards that.
      biasPhrases: recognitionPhrases(persona),
      vadPostspeechFrames: Math.round(config.endOfSpeech.sttSilenceMs / 10),
    });
  },
  deepgram: async ({ persona, config }) =>
    (await cloudEngines()).createDeepgramSTT(config.cloud.deepgram, persona),
};

export const LLM_ENGINES: Record<LlmEngine, Factory<llm.LLM>> = {
  scripted: ({ persona }) => new ScriptedResponder(persona),
  openai: async ({ persona, config }) =>
    (await cloudEngines()).createOpenAILLM(config.cloud.openai, persona),
};

export const TTS_ENGINES: Record<TtsEngine, Factory<tts.TTS>> = {
  offline: ({ persona, config }) => createOfflineTTS(persona.voice, { fliteBin: config.fliteBin }),
  cartesia: async ({ persona, config }) =>
    (await cloudEngines()).createCartesiaTTS(config.cloud.cartesia, persona),
};

/**
 * What callers of this persona are likely to say: its knowledge questions, the answers the
 * scripted flows ask for, and the phrases that trigger its escalation, handoffs and tools.
 */
export function recognitionPhrases(persona: Persona): string[] {
  return [
    ...persona.knowledge.map((k) => k.question),
    ...CALLER_PHRASES,
    ...persona.escalation.phrases,
    ...persona.handoffs.flatMap((h) => h.phrases),
    ...[...persona.webhookTools, ...persona.clientTools].flatMap((t) => t.phrases),
  ];
}

/** Cloud engines in the order `auto` tries them; the offline engine always comes last. */
export const AUTO_PREFERENCE = {
  stt: ['deepgram'] as SttEngine[],
  llm: ['openai'] as LlmEngine[],
  tts: ['cartesia'] as TtsEngine[],
};
const OFFLINE = { stt: 'offline', llm: 'scripted', tts: 'offline' } as const;

/**
 * The engines that run a stage, most preferred first: for `auto` every cloud engine whose key
 * is set, then the offline engine; for a named cloud engine that engine, then the offline one;
 * for the offline engine just that. A named cloud engine without its key is an error.
 */
export function chooseChain<E extends string>(
  stage: keyof typeof OFFLINE,
  requested: E | 'auto',
  preference: readonly E[],
  cloud: CloudConfig,
  personaId: string,
): E[] {
  const offline = OFFLINE[stage] as E;
  const usable = (engine: E) => !isCloudProvider(engine) || !missingKey(cloud, engine);
  if (requested === 'auto') return [...preference.filter(usable), offline];
  if (requested === offline) return [offline];
  if (isCloudProvider(requested)) {
    const key = missingKey(cloud, requested);
    if (key) throw new MissingProviderKeyError(key, requested, personaId);
  }
  return [requested, offline];
}

function members<E extends string, T>(
  engines: Record<E, Factory<T>>,
  names: E[],
  ctx: ProviderContext,
): Promise<NamedEngine<T>[]> {
  return Promise.all(names.map(async (name) => ({ name, engine: await engines[name](ctx) })));
}

export interface Pipeline {
  stt: stt.STT;
  llm: llm.LLM;
  tts: tts.TTS;
  /** Engines per stage in fallback order, for logs and call records. */
  engines: { stt: SttEngine[]; llm: LlmEngine[]; tts: TtsEngine[] };
  /** Calls `listener` when an engine drops out of (or returns to) its stage's chain. */
  onFallback(listener: (event: FallbackEvent) => void): () => void;
  /** Closes the stages and every engine in them. */
  close(): Promise<void>;
}

/**
 * Builds the STT, LLM and TTS for a persona, each as a fallback chain ending in the offline
 * engine. Rejects with {@link MissingProviderKeyError} when the persona names a cloud provider
 * whose key is not set.
 */
export async function buildPipeline(persona: Persona, config: AgentConfig): Promise<Pipeline> {
  const ctx: ProviderContext = { persona, config };
  const { providers } = persona;
  const engines = {
    stt: chooseChain('stt', providers.stt, AUTO_PREFERENCE.stt, config.cloud, persona.id),
    llm: chooseChain('llm', providers.llm, AUTO_PREFERENCE.llm, config.cloud, persona.id),
    tts: chooseChain('tts', providers.tts, AUTO_PREFERENCE.tts, config.cloud, persona.id),
  };
  const [sttEngines, llmEngines, ttsEngines] = await Promise.all([
    members(STT_ENGINES, engines.stt, ctx),
    members(LLM_ENGINES, engines.llm, ctx),
    members(TTS_ENGINES, engines.tts, ctx),
  ]);
  const stages = {
    stt: sttChain(sttEngines),
    llm: llmChain(llmEngines, config.cloud.openai.attemptTimeoutMs),
    tts: ttsChain(ttsEngines),
  };
  return {
    stt: stages.stt.runner,
    llm: stages.llm.runner,
    tts: stages.tts.runner,
    engines,
    onFallback(listener) {
      const stops = [
        stages.stt.watch(listener),
        stages.llm.watch(listener),
        stages.tts.watch(listener),
      ];
      return () => stops.forEach((stop) => stop());
    },
    async close() {
      // The adapters stop their recovery probes; only the TTS adapter closes its engines too.
      const sttEngines = stages.stt.members.map((m) => m.engine);
      const llmEngines = stages.llm.members.map((m) => m.engine);
      await Promise.all([
        ...[...new Set([stages.stt.runner, ...sttEngines])].map((s) => s.close()),
        ...[...new Set([stages.llm.runner, ...llmEngines])].map((l) => l.aclose()),
        stages.tts.runner.close(),
      ]);
    },
  };
}

/**
 * The voice session for a call. Turn-taking runs entirely on this machine: the local
 * `v1-mini` end-of-turn model and VAD-based interruptions, tuned by the persona's `turnTaking`.
 * Left unpinned, the framework would pick LiveKit Cloud's models in dev mode. While the offline
 * recogniser transcribes, the model is told how the caller's words end (see
 * {@link TranscriptAwareTurnDetector}); cloud transcripts leave it to the model. Silence is
 * handled by the call supervisor (conversation/call-supervisor.ts), not the framework's
 * away timer.
 */
export function createAgentSession(
  pipeline: Pipeline,
  vad: VAD,
  turnTaking: Persona['turnTaking'],
): voice.AgentSession {
  const turnDetector = new TranscriptAwareTurnDetector({
    unlikelyThreshold: turnTaking.endOfTurnThreshold,
  });
  const session = new voice.AgentSession({
    stt: pipeline.stt,
    llm: pipeline.llm,
    tts: pipeline.tts,
    vad,
    userAwayTimeout: null,
    turnHandling: {
      turnDetection: turnDetector,
      // The reply is written and spoken while the end of the turn is still being confirmed.
      preemptiveGeneration: { enabled: true, preemptiveTts: true },
      endpointing: {
        minDelay: turnTaking.minEndpointingDelayMs,
        maxDelay: turnTaking.maxEndpointingDelayMs,
      },
      interruption: {
        mode: 'vad',
        enabled: turnTaking.interruptions,
        minDuration: turnTaking.minInterruptionDurationMs,
        falseInterruptionTimeout: turnTaking.falseInterruptionTimeoutMs,
        resumeFalseInterruption: true,
      },
    },
  });
  const transcribesOffline = offlineTranscription(pipeline);
  // Emitted before the framework weighs the end of the turn, so the detector has the words.
  session.on(voice.AgentSessionEventTypes.UserInputTranscribed, (event) => {
    if (event.isFinal && transcribesOffline()) turnDetector.hearTranscript(event.transcript);
  });
  return session;
}

/** Whether the offline recogniser is the one transcribing: the first STT engine still up. */
function offlineTranscription(pipeline: Pipeline): () => boolean {
  const down = new Set<string>();
  pipeline.onFallback(({ stage, engine, available }) => {
    if (stage !== 'stt') return;
    if (available) down.delete(engine);
    else down.add(engine);
  });
  return () => pipeline.engines.stt.find((engine) => !down.has(engine)) === 'offline';
}
