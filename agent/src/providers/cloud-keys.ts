/**
 * Which cloud provider needs which key, without loading any provider's plugin: the worker checks
 * a persona's keys before a call, and a call that uses no cloud engine never imports one.
 */
import type { CloudConfig } from '../config.js';

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
