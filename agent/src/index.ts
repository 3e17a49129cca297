export {
  ConfigError,
  cloudConfig,
  loadConfig,
  pocketSphinxPaths,
  type AgentConfig,
  type CloudConfig,
  type PocketSphinxPaths,
} from './config.js';
export { WorkerHeartbeat } from './worker-status/heartbeat.js';
export {
  PersonaClient,
  PersonaLoadError,
  parseDispatchMetadata,
} from './personas/persona-client.js';
export { buildPipeline, createAgentSession, type Pipeline } from './pipeline.js';
export { PersonaAgent } from './conversation/persona-agent.js';
export { personaInstructions } from './personas/persona-instructions.js';
export { CLOUD_KEY_VARS, MissingProviderKeyError } from './providers/cloud-keys.js';
export { type FallbackEvent, FALLBACK_TUNING } from './providers/fallback-chains.js';
export { FliteTTS, FLITE_VOICES, type FliteVoice } from './providers/flite-tts.js';
export { FestivalTTS, FESTIVAL_VOICES, type FestivalVoice } from './providers/festival-tts.js';
export {
  createOfflineTTS,
  DEFAULT_OFFLINE_VOICE,
  OFFLINE_VOICES,
} from './providers/offline-tts.js';
export { PocketSphinxSTT } from './providers/pocketsphinx-stt.js';
export { KnowledgeMatcher } from './knowledge/knowledge-matcher.js';
export { ScriptedResponder } from './scripted/scripted-llm.js';
export { countWordErrors, wordErrorRate } from './text/word-error-rate.js';

// The offline engines' building blocks, which the cloud providers' protocol fakes
// (`@parley/test-fakes`) do their work with.
export { rms } from './providers/audio-level.js';
export { buildShim } from './providers/build-shim.js';
export {
  PocketSphinxProcess,
  type PocketSphinxProcessOptions,
  type ShimEvent,
} from './providers/pocketsphinx-process.js';
export { MonoConverter, POCKETSPHINX_SAMPLE_RATE } from './providers/pocketsphinx-stt.js';
export { parseWav, type WavAudio } from './providers/wav.js';
export { knowledgeFromInstructions } from './personas/persona-instructions.js';
export { splitWords } from './text/words.js';
