/**
 * Protocol-faithful local fakes of the cloud providers (`@parley/test-fakes`), for the agent's
 * provider tests and the cross-package suites. They stand only for APIs that cannot be reached offline, and do
 * the work for real: the Deepgram fake transcribes with PocketSphinx, the Cartesia fake speaks
 * with Flite. `tsx tests/fakes/src/serve-fakes.ts` runs all three as one process.
 */
export { type CannedPhrase, CannedSpeech } from './canned-speech.js';
export { type CartesiaFake, type CartesiaFakeOptions, startCartesiaFake } from './cartesia-fake.js';
export { type ScriptedReply, type ScriptedToolCall, defaultReply } from './chat-script.js';
export { type DeepgramFake, type DeepgramFakeOptions, startDeepgramFake } from './deepgram-fake.js';
export type { FailureMode, FakeControl, FakeRequest } from './fake-server.js';
export { type OpenAIFake, type OpenAIFakeOptions, startOpenAIFake } from './openai-fake.js';
export { testPocketSphinxPaths } from './pocketsphinx-paths.js';
/** The agent's PocketSphinx paths from the environment, which the Deepgram fake runs on. */
export { pocketSphinxPaths, type PocketSphinxPaths } from '@parley/agent';
export { concatPcm, rms, silenceFrames, speakFrames, speakPcm, toFrames } from './speech.js';
export { FAKE_KEYS, type FakeCloud, startFakeCloud } from './fake-cloud.js';
