export { ConfigError, loadConfig, pocketSphinxPaths, type AgentConfig } from './config.js';
export { WorkerHeartbeat } from './heartbeat.js';
export { PersonaClient, PersonaLoadError, parseDispatchMetadata } from './persona-client.js';
export {
  buildPipeline,
  createAgentSession,
  createPersonaAgent,
  type Pipeline,
} from './pipeline.js';
export { FliteTTS, FLITE_VOICES, type FliteVoice } from './providers/flite-tts.js';
export { PocketSphinxSTT } from './providers/pocketsphinx-stt.js';
export { KnowledgeMatcher } from './scripted/knowledge-matcher.js';
export { ScriptedResponder } from './scripted/scripted-llm.js';
export { wordErrorRate } from './text/word-error-rate.js';
