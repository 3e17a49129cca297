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
  llm,
  log,
  ServerOptions,
  type VAD,
  voice,
} from '@livekit/agents';
import * as silero from '@livekit/agents-plugin-silero';
import { type RemoteParticipant, RoomEvent } from '@livekit/rtc-node';
import {
  AGENT_NAME,
  builtinValues,
  type CallInput,
  type CallOutcome,
  type DispatchMetadata,
  type HandoffTarget,
  type Persona,
  type StandbyDispatch,
} from '@parley/contracts';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  attachRecorder,
  CallRecorder,
  type CallRecording,
  recordingConfig,
  startSpoolFlusher,
  summarizeCall,
} from './recording/index.js';
import { type AgentConfig, ConfigError, loadConfig } from './config.js';
import { watchCallConnection } from './conversation/call-connection.js';
import { createCallControls, type CallControls } from './conversation/call-controls.js';
import {
  agentInConversation,
  callInputFor,
  microphonePublished,
  participantRpc,
  sipTransfer,
  templateValues,
} from './conversation/call-session.js';
import { superviseCall } from './conversation/call-supervisor.js';
import { handoffTool } from './conversation/handoff.js';
import { openingLinesFor, PersonaAgent } from './conversation/persona-agent.js';
import { PrerenderedSpeech } from './conversation/prerendered-speech.js';
import { publishAgentAudio, standbyDispatchOf, waitForClaim } from './conversation/standby.js';
import { WorkerHeartbeat } from './worker-status/heartbeat.js';
import { receivePreConnectAudio } from './preconnect/index.js';
import { jobCountLoad, LIVEKIT_TARGET_LOAD } from './worker-status/worker-load.js';
import {
  parseDispatchMetadata,
  PersonaClient,
  PersonaLoadError,
} from './personas/persona-client.js';
import { buildPipeline, createAgentSession, type Pipeline } from './pipeline.js';
import { MissingProviderKeyError } from './providers/cloud-keys.js';
import { SERVER_SOCKET_ENV, startPocketSphinxServer } from './providers/pocketsphinx-server.js';
import {
  answerAtOnce,
  attachPhoneFeatures,
  warmTransferFor,
  calleeAnswered,
  endWhenCallerLeaves,
  PhoneApi,
  phoneCallerHistory,
  phoneDirection,
} from './phone/index.js';
import { createPersonaTools, type ToolDeps } from './tools/index.js';

interface ProcessData {
  vad?: VAD;
}

/** Silero's VAD with the configured end-of-speech silence. */
function loadVad(config: AgentConfig): Promise<VAD> {
  return silero.VAD.load({ minSilenceDuration: config.endOfSpeech.vadSilenceMs });
}

async function prewarm(proc: JobProcess<ProcessData>): Promise<void> {
  const config = loadConfig();
  proc.userData.vad = await loadVad(config);
  await warmUp(config);
}

/**
 * What a job's first moments would otherwise do on the caller's time, done while the process
 * waits in the idle pool: loading Node's fetch (undici), which the persona's request uses, and
 * ICU's date formatting, which the greeting's built-in values use. On this machine, a process's
 * first fetch takes about 75 ms against 20 ms for the next, and its first time-zone formatting
 * about 20 ms. A failure here changes nothing: the job then does the same work itself.
 */
async function warmUp(config: AgentConfig): Promise<void> {
  builtinValues({
    now: new Date(),
    timeZone: 'UTC',
    channel: 'web',
    personaName: 'Parley',
    language: 'en-US',
  });
  await fetch(new URL('/livez', config.serverUrl), { signal: AbortSignal.timeout(2_000) })
    .then((res) => res.arrayBuffer())
    .catch(() => undefined);
}

type Logger = ReturnType<typeof log>;

/** Builds a persona's pipeline, or logs why it cannot be built (a missing cloud key). */
async function pipelineFor(
  persona: Persona,
  config: AgentConfig,
  logger: Logger,
): Promise<Pipeline | undefined> {
  try {
    const pipeline = await buildPipeline(persona, config);
    logger.info({ personaId: persona.id, engines: pipeline.engines }, 'pipeline ready');
    pipeline.onFallback(({ stage, engine, available }) => {
      if (available) logger.info({ stage, engine }, 'engine recovered; it is preferred again');
      else logger.warn({ stage, engine }, 'engine failed; the next engine in the chain takes over');
    });
    return pipeline;
  } catch (error) {
    if (!(error instanceof MissingProviderKeyError)) throw error;
    logger.error({ code: error.code, key: error.key }, error.message);
    return undefined;
  }
}

/** Everything a persona's agent needs on this call, shared by the first persona and handoffs. */
interface CallScope {
  ctx: JobContext<ProcessData>;
  config: AgentConfig;
  logger: Logger;
  personas: PersonaClient;
  call: CallInput;
  controls: CallControls;
  /** The call record's id, once the record exists. */
  callId(): Promise<string>;
  /** A persona's warm transfer (src/phone), when it has a transfer target. */
  warmTransfer(persona: Persona): ToolDeps['warmTransfer'];
}

/** The agent for `persona` on this call: its tools (and handoff targets), rendered prompt. */
function personaAgent(
  scope: CallScope,
  persona: Persona,
  extra: Partial<ConstructorParameters<typeof PersonaAgent>[0]> = {},
): PersonaAgent {
  const { ctx, config, call, controls, callId } = scope;
  const identity = call.participantIdentity ?? '';
  const tools = createPersonaTools({
    persona,
    channel: call.channel,
    server: { serverUrl: config.serverUrl, agentKey: config.agentKey },
    callId,
    controls,
    rpc: participantRpc(ctx.room, identity),
    sipTransfer:
      call.channel === 'phone' ? sipTransfer(config, call.roomName, identity) : undefined,
    warmTransfer: scope.warmTransfer(persona),
  });
  const handoff = handoffTool({
    persona,
    takeOver: (target, chatCtx) => takeOver(scope, persona, target, chatCtx),
  });
  return new PersonaAgent({
    persona,
    values: templateValues(persona, call),
    tools: new llm.ToolContext([...tools.tools, ...handoff]),
    ...extra,
  });
}

/** A handoff: the target persona's agent, with its own engines (and voice, unless kept). */
async function takeOver(
  scope: CallScope,
  from: Persona,
  target: HandoffTarget,
  chatCtx: llm.ChatContext,
): Promise<PersonaAgent> {
  const persona = await scope.personas.get(target.personaId).catch((error: unknown) => {
    throw new llm.ToolError(
      `the ${target.personaId} assistant is not available (${error instanceof Error ? error.message : String(error)})`,
    );
  });
  const pipeline = await pipelineFor(persona, scope.config, scope.logger);
  if (!pipeline) throw new llm.ToolError(`the ${persona.name} assistant is not available`);
  scope.ctx.addShutdownCallback(() => pipeline.close());
  scope.logger.info({ from: from.id, to: persona.id, keepVoice: target.keepVoice }, 'handoff');
  return personaAgent(scope, persona, {
    chatCtx,
    llm: pipeline.llm,
    tts: target.keepVoice ? undefined : pipeline.tts,
    greetOnEnter: true,
  });
}

/**
 * Longest the greeting waits for the visitor's pre-connect audio to reach the recogniser: the
 * buffer is announced by their microphone track and waited for up to 3 s (src/preconnect).
 */
const PRE_CONNECT_WAIT_MS = 3_500;

/** What `promise` gives, or `undefined` once `ms` have passed first. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const passed = new Promise<undefined>(
    (resolve) => (timer = setTimeout(() => resolve(undefined), ms)),
  );
  return Promise.race([promise, passed]).finally(() => clearTimeout(timer));
}

/** A persona made ready for a call: its pipeline built, its greeting rendered ahead. */
interface ReadyPersona {
  personas: PersonaClient;
  persona: Persona;
  pipeline: Pipeline;
  opening: PrerenderedSpeech;
}

/**
 * Loads the persona `metadata` names and builds its pipeline, and renders its greeting while the
 * agent joins. The caller is not known yet: a greeting that names them is rendered again when
 * said. `undefined` once the job is shut down because the persona or its engines cannot be had.
 */
async function readyPersona(
  ctx: JobContext<ProcessData>,
  config: AgentConfig,
  logger: Logger,
  metadata: DispatchMetadata,
): Promise<ReadyPersona | undefined> {
  // The tenant's personas only: the call's persona and its handoff targets.
  const personas = new PersonaClient({ ...config, tenantId: metadata.tenantId });
  let persona: Persona;
  try {
    persona = await personas.get(metadata.personaId);
  } catch (error) {
    if (!(error instanceof PersonaLoadError)) throw error;
    logger.error({ code: error.code, err: error.message }, 'cannot load the persona; leaving');
    ctx.shutdown(`persona unavailable: ${error.code}`);
    return undefined;
  }
  const pipeline = await pipelineFor(persona, config, logger);
  if (!pipeline) {
    ctx.shutdown('provider unavailable');
    return undefined;
  }
  ctx.addShutdownCallback(() => pipeline.close());
  const opening = new PrerenderedSpeech(pipeline.tts, logger);
  const roomName = ctx.job.room?.name ?? '';
  const caller = { identity: '', attributes: {} };
  opening.prepare(
    openingLinesFor(persona, templateValues(persona, callInputFor(metadata, roomName, caller))),
  );
  return { personas, persona, pipeline, opening };
}

/** A standby room given to a web session: its dispatch, persona, and visitor. */
interface ClaimedCall {
  metadata: DispatchMetadata;
  ready: ReadyPersona;
  identity: string;
  /** The visitor once in the room; `undefined` if they did not come in time. */
  joined: Promise<RemoteParticipant | undefined>;
}

/** The caller as the call's record and tools know them. */
type CallerParticipant = Pick<RemoteParticipant, 'identity' | 'attributes'>;

/** How long a standby room's agent waits to be given to a session before it leaves. */
const STANDBY_WAIT_MS = 15 * 60_000;
/** How long it then waits for that session's visitor to join. */
const CLAIMED_JOIN_WAIT_MS = 20_000;
/**
 * How long the greeting in a standby room waits for the visitor who joined to publish their
 * microphone, which tells whether pre-connect audio is coming (the widget publishes it right
 * after joining; a text-only visitor never does, and is greeted this much later).
 */
const MICROPHONE_WAIT_MS = 1_000;

/**
 * A standby room's agent (see conversation/standby.ts): ready with the standby's persona, it
 * waits for the server to give the room to a web session. With another persona (or an edited
 * one) than it loaded, it loads that one. `undefined` once the job is shut down: the room was
 * never taken, or the persona cannot be had.
 */
async function claimedCall(
  ctx: JobContext<ProcessData>,
  config: AgentConfig,
  logger: Logger,
  standby: { dispatch: StandbyDispatch; ready: ReadyPersona },
  steps: Record<string, number>,
  elapsed: () => number,
): Promise<ClaimedCall | undefined> {
  // The server closing the room ends the job: the wait ends with it.
  const ended = new AbortController();
  ctx.addShutdownCallback(async () => ended.abort());
  const claim = await waitForClaim(ctx.room, STANDBY_WAIT_MS, ended.signal);
  if (ended.signal.aborted) return undefined;
  if (!claim) {
    logger.info('standby room: not taken in time; leaving');
    await ctx.deleteRoom().catch(() => undefined);
    ctx.shutdown('the standby room was not taken');
    return undefined;
  }
  steps.claimedMs = elapsed();
  const { identity, reload, metadata } = claim;
  const joined = within(ctx.waitForParticipant(identity), CLAIMED_JOIN_WAIT_MS).catch(
    () => undefined,
  );
  const { dispatch, ready } = standby;
  const same =
    !reload && metadata.personaId === dispatch.personaId && metadata.tenantId === dispatch.tenantId;
  logger.info({ personaId: metadata.personaId, reload: !same }, 'standby room taken');
  const forCall = same ? ready : await readyPersona(ctx, config, logger, metadata);
  if (!forCall) return undefined;
  return { metadata, ready: forCall, identity, joined };
}

/** One call: load the persona named in the dispatch, build its pipeline, greet, converse. */
async function entry(ctx: JobContext<ProcessData>): Promise<void> {
  const logger = log().child({ room: ctx.job.room?.name, jobId: ctx.job.id });
  const startedAt = performance.now();
  const elapsed = () => Math.round(performance.now() - startedAt);
  /** When each step of the start was done, in ms after the job started (logged at 'call started'). */
  const steps: Record<string, number> = {};
  const config = loadConfig();
  // Registered before connecting: the widget sends what the visitor said while the agent joined.
  const preConnect = receivePreConnectAudio(ctx.room);
  ctx.addShutdownCallback(async () => preConnect.close());
  // Joining the room runs while the persona loads: the visitor hears the greeting sooner.
  const connected = ctx.connect();
  void connected.then(() => (steps.connectedMs = elapsed())).catch(() => undefined);
  // When the caller first hears the agent's track (the greeting can play from then on).
  ctx.room.once(RoomEvent.LocalTrackSubscribed, () => (steps.subscribedMs = elapsed()));
  // A phone caller hears ringing until the agent publishes audio: answer before the slow work.
  const direction = phoneDirection(ctx.job.metadata);
  const answer = direction && connected.then(() => answerAtOnce(ctx.room, startedAt, logger));
  if (answer) answer.catch(() => undefined); // a failed connect surfaces through `joined`
  // A web visitor subscribes to the agent's track while the agent still loads.
  const published = new AbortController();
  const audioOutput = direction
    ? undefined
    : connected.then(() =>
        publishAgentAudio(ctx.room, published.signal, (error) =>
          logger.warn({ err: String(error) }, 'cannot publish the agent audio track'),
        ),
      );
  audioOutput?.catch(() => undefined); // a failed connect surfaces through `joined`
  ctx.addShutdownCallback(async () => {
    published.abort();
    await (await audioOutput?.catch(() => undefined))?.close();
  });
  // A standby room's agent joins before anyone asked for the room (see standby.ts).
  const standby = standbyDispatchOf(ctx.job.metadata);
  let metadata: DispatchMetadata;
  try {
    metadata = standby
      ? { ...standby, channel: 'web', visitor: {}, variables: {} }
      : parseDispatchMetadata(ctx.job.metadata);
  } catch (error) {
    if (!(error instanceof PersonaLoadError)) throw error;
    logger.error({ code: error.code, err: error.message }, 'cannot load the persona; leaving');
    ctx.shutdown(`persona unavailable: ${error.code}`);
    return;
  }
  let ready = await readyPersona(ctx, config, logger, metadata);
  if (!ready) return;
  steps.personaMs = elapsed();
  // The caller as known now, and once in the room: a standby room's session starts as soon as
  // the room is taken, before its visitor has joined.
  let caller: CallerParticipant;
  let joined: Promise<RemoteParticipant | undefined>;
  if (standby) {
    await connected;
    const claimed = await claimedCall(
      ctx,
      config,
      logger,
      { dispatch: standby, ready },
      steps,
      elapsed,
    );
    if (!claimed) return;
    ({ metadata, ready, joined } = claimed);
    caller = { identity: claimed.identity, attributes: {} };
  } else {
    const participant = await connected.then(() => ctx.waitForParticipant());
    caller = participant;
    joined = Promise.resolve(participant);
  }
  const { personas, persona, pipeline, opening } = ready;
  const vad = ctx.proc.userData.vad ?? (await loadVad(config));

  const holder = agentInConversation(ctx.room.remoteParticipants.values());
  if (holder) {
    logger.warn({ agent: holder.identity }, 'another agent already holds this call; leaving');
    ctx.shutdown('duplicate dispatch');
    return;
  }
  if (direction === 'outbound' && !(await calleeAnswered(ctx.room, caller.identity, logger))) {
    ctx.shutdown('the callee did not answer');
    return;
  }
  const call = callInputFor(metadata, ctx.room.name ?? ctx.job.room?.name ?? '', caller);
  const phoneApi = new PhoneApi({ serverUrl: config.serverUrl, agentKey: config.agentKey });
  const history = metadata.history
    ? Promise.resolve(metadata.history)
    : phoneCallerHistory(phoneApi, call, logger);
  // The call's record starts once the caller is in the room (below); these wait for it.
  const record: { recording?: CallRecording } = {};
  let recorderStarted: (recorder: CallRecorder) => void = () => undefined;
  const recorded = new Promise<CallRecorder>((resolve) => (recorderStarted = resolve));
  const callId = () => recorded.then((recorder) => recorder.whenCreated());
  const setOutcome = (outcome: CallOutcome | undefined) => record.recording?.setOutcome(outcome);
  const session = createAgentSession(pipeline, vad, persona.turnTaking);
  const { controls, state } = createCallControls(session, setOutcome);
  const callerRef = { identity: caller.identity };
  // Silence is not counted while the agent or the caller reconnects (see call-connection.ts).
  const connection = watchCallConnection(ctx.room, callerRef);
  connection.onChange((lost) => {
    if (lost) logger.warn({ lost }, 'call connection lost; silence handling paused');
    else logger.info('call connection back; silence handling resumed');
  });
  ctx.addShutdownCallback(async () => connection.close());
  const stopSupervising = superviseCall(session, persona, controls, state, connection);
  // The call is over when the session closes (the caller hung up, an end was asked for, or an
  // unrecoverable error); an ended call takes the room down so the visitor's page ends too.
  session.on(voice.AgentSessionEventTypes.Close, (ev) => {
    stopSupervising();
    if (ev.error) logger.error({ error: ev.error, reason: ev.reason }, 'session failed');
    ctx.shutdown(`session closed: ${ev.reason}`);
  });
  ctx.addShutdownCallback(async () => {
    stopSupervising();
    if (record.recording) {
      const report = await record.recording.end();
      logger.info({ ...report, outcome: state.ending?.outcome }, 'call record closed');
    }
    if (state.ending) await ctx.deleteRoom().catch(() => undefined);
  });

  const warmTransfer = (target: Persona) =>
    warmTransferFor(
      {
        room: ctx.room,
        config,
        call,
        caller: callerRef,
        session,
        tts: () => pipeline.tts,
        controls,
        api: phoneApi,
        callId,
        setOutcome,
        stopSupervising,
        leave: (reason) => ctx.shutdown(reason),
        onShutdown: (cleanup) => ctx.addShutdownCallback(cleanup),
        logger,
      },
      target,
    );
  const scope = { ctx, config, logger, personas, call, controls, callId, warmTransfer };
  const agent = personaAgent(scope, persona, { history: await history });
  // The caller's microphone, with their pre-connect audio first (see src/preconnect).
  preConnect.attach(session, caller.identity);
  const onState = (ev: voice.AgentStateChangedEvent) => {
    if (ev.newState !== 'speaking') return;
    session.off(voice.AgentSessionEventTypes.AgentStateChanged, onState);
    logger.info(
      { greetingMs: elapsed(), subscribedMs: steps.subscribedMs, sessionMs: steps.sessionMs },
      'greeting playing',
    );
  };
  session.on(voice.AgentSessionEventTypes.AgentStateChanged, onState);
  // The call ends when the caller leaves, as RoomIO would end it, but not while they move to
  // their phone (see endWhenCallerLeaves).
  const inputOptions = { audioEnabled: false, closeOnDisconnect: false };
  const output = await audioOutput;
  if (output) session.output.audio = output;
  // RoomIO makes no audio output of its own beside the one published early.
  const outputOptions = { audioEnabled: !output };
  await session.start({ agent, room: ctx.room, inputOptions, outputOptions });
  steps.sessionMs = elapsed();
  const participant = await joined;
  if (!participant) {
    logger.info('standby room: the visitor never joined; leaving');
    await ctx.deleteRoom().catch(() => undefined);
    ctx.shutdown('the visitor never joined');
    return;
  }
  steps.joinedMs = elapsed();
  // Starts the record without waiting for the server: the journal keeps it if the server is down.
  const started = await CallRecorder.start({
    serverUrl: config.serverUrl,
    agentKey: config.agentKey,
    call,
    logger,
  });
  record.recording = attachRecorder(session, started, {
    logger,
    insights: (turns) => ({
      leadTemperature: state.leadTemperature,
      summary: summarizeCall(turns),
    }),
  });
  recorderStarted(started);
  const stopWatchingCaller = endWhenCallerLeaves(
    ctx.room,
    callerRef,
    (reason) => session.shutdown({ drain: false, reason }),
    logger,
  );
  ctx.addShutdownCallback(async () => stopWatchingCaller());
  // LiveKit Agents hears nothing for the first 3 s the agent speaks (its echo-cancellation
  // warm-up): a greeting that started before the visitor's pre-connect audio reached the
  // recogniser would hide their first words, so it waits for that audio (a moment at most).
  // Whether the visitor's microphone has such audio, it tells when it is published: in a standby
  // room, where the agent is ready first, that is waited for (elsewhere it was published before
  // the agent came; a phone caller's track is no microphone and has none).
  const microphone = standby
    ? microphonePublished(ctx.room, participant, MICROPHONE_WAIT_MS)
    : Promise.resolve();
  const earlyWordsHeard = microphone.then(() =>
    preConnect.expected() ? within(preConnect.recognised(), PRE_CONNECT_WAIT_MS) : undefined,
  );
  earlyWordsHeard
    .then(() => opening.sayAll(session, agent.openingLines()))
    .catch((error: unknown) => {
      logger.error({ err: String(error) }, 'cannot say the opening lines');
    });
  void answer?.then((track) => track?.handOver(ctx.room));
  const stopPhone = attachPhoneFeatures({
    room: ctx.room,
    session,
    persona,
    call,
    caller: callerRef,
    sttEngines: pipeline.engines.stt,
    callId,
    api: phoneApi,
    logger,
  });
  ctx.addShutdownCallback(async () => stopPhone());
  logger.info({ ...steps, startedMs: elapsed() }, 'call started');
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
    maxJobs: config.maxJobs,
  });
  const options = new ServerOptions({
    agent: fileURLToPath(import.meta.url),
    agentName: AGENT_NAME,
    loadThreshold: LIVEKIT_TARGET_LOAD,
    numIdleProcesses: config.idleProcesses,
    // No job process beyond the calls this worker takes (a patch on LiveKit Agents, see the
    // README): a full worker does not start idle processes it cannot use, whose start-up (about
    // 2 CPU-s each) would be taken from the calls in progress.
    maxProcesses: config.maxJobs,
    // A job process imports the pipeline and loads the VAD; on a busy host that can take more than
    // the framework's 10 s, and killing it to start another only makes the next call ring longer.
    initializeProcessTimeout: 30_000,
    wsURL: config.livekit.url,
    apiKey: config.livekit.apiKey,
    apiSecret: config.livekit.apiSecret,
    host: config.workerHttp.host,
    port: config.workerHttp.port,
  });
  // The framework calls loadFunc every 2.5 s while it is registered with LiveKit: the heartbeat
  // rides on it (see worker-status/heartbeat.ts). Load counts calls, not CPU (see worker-status/worker-load.ts).
  options.loadFunc = heartbeat.wrapLoadFunc<AgentServer>(jobCountLoad(config.maxJobs));
  // One PocketSphinx model for every call of this worker: job processes (forked from here, so
  // they inherit the variable) start their recognition streams from it in milliseconds.
  try {
    const server = await startPocketSphinxServer(
      config.pocketsphinx,
      Math.round(config.endOfSpeech.sttSilenceMs / 10),
    );
    process.env[SERVER_SOCKET_ENV] = server.socketPath;
    console.error(
      `parley agent: PocketSphinx server ready (pid ${server.pid}, model loaded in ${server.loadMs} ms)`,
    );
    // Stopping the worker (LiveKit Agents' CLI closes it on these) stops the server with it.
    let stopping = false;
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => (stopping = true));
    }
    void server.exited.then((code) => {
      if (stopping) return;
      console.error(
        `parley agent: the PocketSphinx server exited (${code}): streams load the model themselves`,
      );
    });
  } catch (error) {
    console.error(
      `parley agent: no PocketSphinx server (${(error as Error).message}): streams load the model themselves`,
    );
  }
  // Replays call records left in the spool by a killed job or an unreachable server.
  startSpoolFlusher({
    serverUrl: config.serverUrl,
    agentKey: config.agentKey,
    intervalMs: recordingConfig().flushIntervalMs,
  });
  cli.runApp(options);
}
