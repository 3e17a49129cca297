/**
 * Test support, run as a child process by pipeline.test.ts: builds, one after another, a pipeline
 * for each argument (a persona's providers, `stt,llm,tts`), with every cloud key set, and prints
 * one JSON line per pipeline with the LiveKit plugins this process had loaded before and after
 * building it. Its own process, because a module once imported stays loaded.
 */
import { initializeLogger, Plugin } from '@livekit/agents';
import { PersonaSchema } from '@parley/contracts';
import { loadConfig } from '../src/config.js';
import { buildPipeline } from '../src/pipeline.js';

const loaded = () => Plugin.registeredPlugins.map((p) => p.title).sort();
const config = loadConfig({
  PARLEY_AGENT_KEY: 'k',
  LIVEKIT_URL: 'ws://127.0.0.1:7880',
  LIVEKIT_API_KEY: 'devkey',
  LIVEKIT_API_SECRET: 'secret',
  DEEPGRAM_API_KEY: 'dg',
  OPENAI_API_KEY: 'oa',
  CARTESIA_API_KEY: 'ca',
});
initializeLogger({ pretty: false, level: 'error' });
for (const providers of process.argv.slice(2)) {
  const [stt = 'auto', llm = 'auto', tts = 'auto'] = providers.split(',');
  const persona = PersonaSchema.parse({
    id: 'shop',
    name: 'Shop',
    greeting: 'Hi!',
    instructions: '',
    providers: { stt, llm, tts },
  });
  const before = loaded();
  const pipeline = await buildPipeline(persona, config);
  const after = loaded();
  await pipeline.close();
  process.stdout.write(`${JSON.stringify({ before, after, engines: pipeline.engines })}\n`);
}
