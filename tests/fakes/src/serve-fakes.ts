/**
 * Runs the Deepgram, OpenAI and Cartesia fakes in one process, for end-to-end suites and for
 * trying the cloud chain by hand:
 *
 *   tsx tests/fakes/src/serve-fakes.ts [--deepgram-port 0] [--openai-port 0] [--cartesia-port 0]
 *
 * Keys default to `fake-deepgram-key`, `fake-openai-key`, `fake-cartesia-key` (or the usual
 * `*_API_KEY` variables). Once listening it prints one JSON line with the environment to give
 * the agent (`DEEPGRAM_BASE_URL`, `OPENAI_BASE_URL`, `CARTESIA_BASE_URL` and the keys), then
 * runs until SIGINT or SIGTERM.
 */
import { initializeLogger } from '@livekit/agents';
import { parseArgs } from 'node:util';
import { pocketSphinxPaths } from '@parley/agent';
import { startCartesiaFake } from './cartesia-fake.js';
import { startDeepgramFake } from './deepgram-fake.js';
import { startOpenAIFake } from './openai-fake.js';

async function main(): Promise<void> {
  initializeLogger({ pretty: false, level: 'warn' });
  const { values } = parseArgs({
    options: {
      'deepgram-port': { type: 'string', default: '0' },
      'openai-port': { type: 'string', default: '0' },
      'cartesia-port': { type: 'string', default: '0' },
    },
  });
  const keys = {
    deepgram: process.env.DEEPGRAM_API_KEY || 'fake-deepgram-key',
    openai: process.env.OPENAI_API_KEY || 'fake-openai-key',
    cartesia: process.env.CARTESIA_API_KEY || 'fake-cartesia-key',
  };
  const deepgram = await startDeepgramFake({
    port: Number(values['deepgram-port']),
    apiKey: keys.deepgram,
    pocketsphinx: pocketSphinxPaths(),
  });
  const openai = await startOpenAIFake({
    port: Number(values['openai-port']),
    apiKey: keys.openai,
  });
  const cartesia = await startCartesiaFake({
    port: Number(values['cartesia-port']),
    apiKey: keys.cartesia,
    fliteBin: process.env.PARLEY_FLITE_BIN || 'flite',
  });
  console.log(
    JSON.stringify({
      DEEPGRAM_BASE_URL: deepgram.wsUrl,
      DEEPGRAM_API_KEY: keys.deepgram,
      OPENAI_BASE_URL: openai.baseURL,
      OPENAI_API_KEY: keys.openai,
      CARTESIA_BASE_URL: cartesia.url,
      CARTESIA_API_KEY: keys.cartesia,
    }),
  );
  const stop = () => {
    void Promise.all([deepgram.stop(), openai.stop(), cartesia.stop()]).then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

await main();
