import { initializeLogger } from '@livekit/agents';
import { dispose } from '@livekit/rtc-node';
import { after, before } from 'node:test';
import { type AgentConfig, loadConfig, type PocketSphinxPaths } from '../src/config.js';
import { type FakeCloud, startFakeCloud, testPocketSphinxPaths } from '@parley/test-fakes';

/** What a suite gets once its `before` hook has run. */
export interface FakeCloudSuite {
  cloud: FakeCloud;
  /** An agent config whose cloud endpoints and keys point at the fakes. */
  config: AgentConfig;
  pocketsphinx: PocketSphinxPaths;
}

/**
 * For the enclosing `describe`: starts the Deepgram, OpenAI and Cartesia fakes (running on the
 * offline engines) before its tests and stops them, and rtc-node, after. The fields are filled
 * in by the `before` hook, so read them inside tests, not at definition time.
 */
export function useFakeCloud(): FakeCloudSuite {
  const suite = {} as FakeCloudSuite;
  let cleanup = (): void => undefined;
  before(async () => {
    initializeLogger({ pretty: false, level: process.env.TEST_LOG_LEVEL ?? 'fatal' });
    const shim = testPocketSphinxPaths();
    cleanup = shim.cleanup;
    suite.pocketsphinx = shim.paths;
    suite.cloud = await startFakeCloud(shim.paths);
    suite.config = loadConfig({
      PARLEY_AGENT_KEY: 'k',
      LIVEKIT_URL: 'ws://127.0.0.1:7880',
      LIVEKIT_API_KEY: 'devkey',
      LIVEKIT_API_SECRET: 'secret',
      ...suite.cloud.env,
    });
  });
  after(async () => {
    await suite.cloud?.stop();
    cleanup();
    await dispose();
  });
  return suite;
}
