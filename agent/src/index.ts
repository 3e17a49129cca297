export {
  ConfigError,
  cloudConfig,
  loadConfig,
  pocketSphinxPaths,
  type AgentConfig,
  type CloudConfig,
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
export { CLOUD_KEY_VARS, MissingProviderKeyError } from './providers/cloud-engines.js';
export { type FallbackEvent, FALLBACK_TUNING } from './providers/fallback-chains.js';
export { FliteTTS, FLITE_VOICES, type FliteVoice } from './providers/flite-tts.js';
export { PocketSphinxSTT } from './providers/pocketsphinx-stt.js';
export { KnowledgeMatcher } from './knowledge/knowledge-matcher.js';
export { ScriptedResponder } from './scripted/scripted-llm.js';
export { wordErrorRate } from './text/word-error-rate.js';
