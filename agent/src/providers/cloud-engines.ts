import * as deepgram from '@livekit/agents-plugin-deepgram';
import * as openai from '@livekit/agents-plugin-openai';
import type { Persona } from '@parley/contracts';
import type { CartesiaConfig, CloudConfig, DeepgramConfig, OpenAIConfig } from '../config.js';
import { CartesiaTTS } from './cartesia-tts.js';
import { StallGuardSTT } from './stall-guard-stt.js';

/** The environment variable that holds each cloud provider's key. */
export const CLOUD_KEY_VARS = {
  deepgram: 'DEEPGRAM_API_KEY',
  openai: 'OPENAI_API_KEY',
  cartesia: 'CARTESIA_API_KEY',
} as const;
export type CloudProvider = keyof typeof CLOUD_KEY_VARS;

const STAGE_OF: Record<CloudProvider, string> = { deepgram: 'STT', openai: 'LLM', cartesia: 'TTS' };

/** A persona asks for a cloud provider whose key this agent does not have. */
export class MissingProviderKeyError extends Error {
  override readonly name = 'MissingProviderKeyError';
  readonly code = 'provider_key_missing';
  readonly retryable = false;
  constructor(
    /** The environment variable to set. */
    readonly key: string,
    readonly provider: CloudProvider,
    readonly personaId: string,
  ) {
    super(
      `${key} is not set but persona '${personaId}' asks for ${provider} ${STAGE_OF[provider]}`,
    );
  }
}

export function isCloudProvider(engine: string): engine is CloudProvider {
  return Object.hasOwn(CLOUD_KEY_VARS, engine);
}

/** The variable a provider still needs, or undefined when its key is set. */
export function missingKey(cloud: CloudConfig, provider: CloudProvider): string | undefined {
  return cloud[provider].apiKey === undefined ? CLOUD_KEY_VARS[provider] : undefined;
}

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
