import { initializeLogger, loggerOptions } from '@livekit/agents';
import type { PocketSphinxPaths } from '@parley/agent';
import type { CannedSpeech } from './canned-speech.js';
import { type CartesiaFake, startCartesiaFake } from './cartesia-fake.js';
import { type DeepgramFake, startDeepgramFake } from './deepgram-fake.js';
import { type OpenAIFake, startOpenAIFake } from './openai-fake.js';

export const FAKE_KEYS = {
  deepgram: 'fake-deepgram-key',
  openai: 'fake-openai-key',
  cartesia: 'fake-cartesia-key',
} as const;

/** All three provider fakes on free ports, and the environment that points the agent at them. */
export interface FakeCloud {
  deepgram: DeepgramFake;
  openai: OpenAIFake;
  cartesia: CartesiaFake;
  env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * `canned`: the cheap mode of capacity runs. The Deepgram fake transcribes by matching the
 * phrases it is given instead of with PocketSphinx, and the Cartesia fake renders each text once.
 */
export async function startFakeCloud(
  pocketsphinx: PocketSphinxPaths,
  { canned }: { canned?: CannedSpeech } = {},
): Promise<FakeCloud> {
  // The fakes speak and listen with the agent's engines, which log through LiveKit's logger; a
  // suite outside the agent package (tests/chaos) has not set it up.
  if (!loggerOptions()) initializeLogger({ pretty: false, level: 'warn' });
  const [deepgram, openai, cartesia] = await Promise.all([
    startDeepgramFake({ port: 0, apiKey: FAKE_KEYS.deepgram, pocketsphinx, canned }),
    startOpenAIFake({ port: 0, apiKey: FAKE_KEYS.openai }),
    startCartesiaFake({ port: 0, apiKey: FAKE_KEYS.cartesia, reuseAudio: canned !== undefined }),
  ]);
  return {
    deepgram,
    openai,
    cartesia,
    env: {
      DEEPGRAM_API_KEY: FAKE_KEYS.deepgram,
      DEEPGRAM_BASE_URL: deepgram.wsUrl,
      OPENAI_API_KEY: FAKE_KEYS.openai,
      OPENAI_BASE_URL: openai.baseURL,
      CARTESIA_API_KEY: FAKE_KEYS.cartesia,
      CARTESIA_BASE_URL: cartesia.url,
    },
    async stop() {
      await Promise.all([deepgram.stop(), openai.stop(), cartesia.stop()]);
    },
  };
}
