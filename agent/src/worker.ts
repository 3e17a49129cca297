/**
 * The Parley agent worker. Run it with `tsx src/worker.ts start` (or `dev`); LiveKit then
 * dispatches calls for agent `parley` to it. Job processes import this file again, so its top
 * level only declares things; the worker itself starts in the `isMain` block at the end.
 */
import {
  type AgentServer,
  cli,
  defineAgent,
  type JobContext,
  type JobProcess,
  log,
  ServerOptions,
  type VAD,
  voice,
} from '@livekit/agents';
import * as silero from '@livekit/agents-plugin-silero';
import { AGENT_NAME, type Persona } from '@parley/server/contracts';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AgentConfig, ConfigError, loadConfig } from './config.js';
import { WorkerHeartbeat } from './heartbeat.js';
import { jobCountLoad, LIVEKIT_TARGET_LOAD } from './worker-load.js';
import { parseDispatchMetadata, PersonaClient, PersonaLoadError } from './persona-client.js';
import {
  buildPipeline,
  createAgentSession,
  createPersonaAgent,
  type Pipeline,
} from './pipeline.js';
import { MissingProviderKeyError } from './providers/cloud-engines.js';

interface ProcessData {
  vad?: VAD;
}

async function prewarm(proc: JobProcess<ProcessData>): Promise<void> {
  proc.userData.vad = await silero.VAD.load();
}

/** One call: load the persona named in the dispatch, build its pipeline, greet, converse. */
async function entry(ctx: JobContext<ProcessData>): Promise<void> {
  const logger = log().child({ room: ctx.job.room?.name, jobId: ctx.job.id });
  const config = loadConfig();
  let persona: Persona;
  try {
    const metadata = parseDispatchMetadata(ctx.job.metadata);
    persona = await new PersonaClient(config).get(metadata.personaId);
  } catch (error) {
    if (!(error instanceof PersonaLoadError)) throw error;
    logger.error({ code: error.code, err: error.message }, 'cannot load the persona; leaving');
    ctx.shutdown(`persona unavailable: ${error.code}`);
    return;
  }

  let pipeline: Pipeline;
  try {
    pipeline = buildPipeline(persona, config);
  } catch (error) {
    if (!(error instanceof MissingProviderKeyError)) throw error;
    logger.error({ code: error.code, key: error.key }, error.message);
    ctx.shutdown(`provider unavailable: ${error.code}`);
    return;
  }
  logger.info({ personaId: persona.id, engines: pipeline.engines }, 'pipeline ready');
  pipeline.onFallback(({ stage, engine, available }) => {
    if (available) logger.info({ stage, engine }, 'engine recovered; it is preferred again');
    else logger.warn({ stage, engine }, 'engine failed; the next engine in the chain takes over');
  });
  ctx.addShutdownCallback(() => pipeline.close());

  const vad = ctx.proc.userData.vad ?? (await silero.VAD.load());
  const session = createAgentSession(pipeline, vad);
  // The call is over when the session closes (the caller hung up, or an unrecoverable error).
  session.on(voice.AgentSessionEventTypes.Close, (ev) => {
    if (ev.error) logger.error({ error: ev.error, reason: ev.reason }, 'session failed');
    ctx.shutdown(`session closed: ${ev.reason}`);
  });
  await ctx.connect();
  await session.start({ agent: createPersonaAgent(persona), room: ctx.room });
  await ctx.waitForParticipant();
  session.say(persona.greeting);
}

export default defineAgent<ProcessData>({ prewarm, entry });

const isMain =
  process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  let config: AgentConfig;
  try {
    config = loadConfig(process.env, { checkFiles: true });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`parley agent: invalid configuration: ${error.message}`);
    process.exit(1);
  }
  const heartbeat = new WorkerHeartbeat({
    serverUrl: config.serverUrl,
    agentKey: config.agentKey,
    agentName: AGENT_NAME,
    intervalMs: config.heartbeatIntervalMs,
  });
  const options = new ServerOptions({
    agent: fileURLToPath(import.meta.url),
    agentName: AGENT_NAME,
    loadThreshold: LIVEKIT_TARGET_LOAD,
    wsURL: config.livekit.url,
    apiKey: config.livekit.apiKey,
    apiSecret: config.livekit.apiSecret,
    host: config.workerHttp.host,
    port: config.workerHttp.port,
  });
  // The framework calls loadFunc every 2.5 s while it is registered with LiveKit: the heartbeat
  // rides on it (see heartbeat.ts). Load counts calls, not CPU (see worker-load.ts).
  options.loadFunc = heartbeat.wrapLoadFunc<AgentServer>(jobCountLoad(config.maxJobs));
  cli.runApp(options);
}
