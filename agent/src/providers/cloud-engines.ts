/**
 * The cloud engines, built on LiveKit's plugins. Importing this module imports the plugins, so only
 * a pipeline that uses a cloud engine loads it (pipeline.ts imports it on demand); what a
 * provider's key means lives plugin-free in cloud-keys.ts.
 */
import * as deepgram from '@livekit/agents-plugin-deepgram';
import * as openai from '@livekit/agents-plugin-openai';
import type { Persona } from '@parley/contracts';
import type { CartesiaConfig, DeepgramConfig, OpenAIConfig } from '../config.js';
import { CartesiaTTS } from './cartesia-tts.js';
import { CLOUD_KEY_VARS, type CloudProvider, MissingProviderKeyError } from './cloud-keys.js';
import { StallGuardSTT } from './stall-guard-stt.js';

function requireKey(
  config: { apiKey?: string },
  provider: CloudProvider,
  persona: Pick<Persona, 'id'>,
): string {
  if (config.apiKey === undefined) {
    throw new MissingProviderKeyError(CLOUD_KEY_VARS[provider], provider, persona.id);
  }
  return config.apiKey;
}

/**
 * Deepgram streaming STT, behind a guard that notices a dead connection (see
 * stall-guard-stt.ts). Every option is passed explicitly: the plugin reads `DEEPGRAM_API_KEY`
 * when it is imported, and this agent's config is the one source of truth.
 */
export function createDeepgramSTT(
  config: DeepgramConfig,
  persona: Pick<Persona, 'id' | 'language'>,
): StallGuardSTT {
  return new StallGuardSTT(createDeepgramPluginSTT(config, persona));
}

/** The plugin's STT as is. */
export function createDeepgramPluginSTT(
  config: DeepgramConfig,
  persona: Pick<Persona, 'id' | 'language'>,
): deepgram.STT {
  return new deepgram.STT({
    apiKey: requireKey(config, 'deepgram', persona),
    baseUrl: config.baseUrl,
    model: config.model,
    language: persona.language,
  });
}

/** An OpenAI-compatible chat model: OpenAI, or any server at `baseURL`. */
export function createOpenAILLM(config: OpenAIConfig, persona: Pick<Persona, 'id'>): openai.LLM {
  return new openai.LLM({
    apiKey: requireKey(config, 'openai', persona),
    baseURL: config.baseURL,
    model: config.model,
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Cartesia voices are ids (UUIDs); any other persona voice leaves the configured default. */
export function cartesiaVoiceFor(voice: string, fallback?: string): string | undefined {
  return UUID.test(voice) ? voice : fallback;
}

export function createCartesiaTTS(
  config: CartesiaConfig,
  persona: Pick<Persona, 'id' | 'language' | 'voice'>,
): CartesiaTTS {
  const voice = cartesiaVoiceFor(persona.voice, config.voice);
  return new CartesiaTTS({
    apiKey: requireKey(config, 'cartesia', persona),
    baseUrl: config.baseUrl,
    model: config.model,
    language: persona.language,
    ...(voice ? { voice } : {}),
  });
}
