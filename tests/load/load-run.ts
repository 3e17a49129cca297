/**
 * The load and soak run: a real stack on test ports, `sessions` simulated web callers talking to
 * it at once for `minutes`, then the verdict (see verdict.ts) and the report (see report.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { dispose } from '@livekit/rtc-node';
import { CannedSpeech, pocketSphinxPaths, startFakeCloud } from '@parley/test-fakes';
import { startPostgres, type ThrowawayPostgres } from '../../scripts/lib/postgres.js';
import { REPO_ROOT, type Stack } from '../../scripts/lib/stack.js';
import { TEST_PORTS } from '../../scripts/lib/stack-config.js';
import { admin, eventually, jobPidOfRoom, type StoredCall } from '../support/calls.js';
import { TreeSampler } from '../support/process-stats.js';
import { startLoggedStack, type TestStack } from '../support/stack-env.js';
import { UtteranceBank } from '../support/voice-session.js';
import { runCaller, type CallerPlan, type CallLog } from './caller.js';
import { LOAD_PERSONA_ID, prepareLoadPersona } from './load-persona.js';
import type { LoadOptions } from './options.js';
import { LogWatch } from './log-watch.js';
import { buildReport, type LoadReport } from './report.js';
import { seededRandom } from './stats.js';

export const ARTIFACTS = path.join(REPO_ROOT, 'tests', 'artifacts', 'load');

/** Ramp-up: callers join this far apart, at most a fifth of the run in all. */
const MAX_RAMP_STEP_MS = 2_000;
const RECORDS_TIMEOUT_MS = 90_000;

const PLAN: Omit<CallerPlan, 'personaId' | 'questions' | 'utterances'> = {
  turns: { min: 2, max: 5 },
  // Real callers listen more than they talk; the persona reprompts after 8 s of silence.
  pauseS: { min: 1, max: 4 },
  redialS: { min: 0.5, max: 2 },
  // Includes dispatch and the start of a job process.
  greetingTimeoutMs: 60_000,
  // A caller who waited this long for an answer has hung up in their mind.
  replyTimeoutMs: 30_000,
};

function pidOf(stack: Stack, name: string): number | undefined {
  return stack.processes.find((p) => p.name === name)?.child.pid;
}

async function startLoadStack(options: LoadOptions, logs: LogWatch, cloudEnv: NodeJS.ProcessEnv) {
  const postgres: ThrowawayPostgres | undefined =
    options.database === 'postgres' ? await startPostgres() : undefined;
  const stack = await startLoggedStack('load-stack', path.join(ARTIFACTS, 'stack.log'), {
    ports: TEST_PORTS,
    observe: (name, line) => logs.see(name, line),
    // Room for calls still shutting down while their slot's next call starts.
    agentEnv: { ...cloudEnv, PARLEY_AGENT_MAX_JOBS: String(options.sessions * 2) },
    serverEnv: {
      ...(postgres && { DATABASE_URL: postgres.url }),
      // Every simulated caller comes from 127.0.0.1; the per-IP limit is for real visitors.
      PARLEY_SESSION_RATE: String(options.sessions * 100),
    },
  }).catch(async (error: unknown) => {
    await postgres?.stop();
    throw error;
  });
  const cleanUp = async () => {
    await stack.release();
    await postgres?.stop();
  };
  return { stack, cleanUp };
}

/** Every stored call of the load persona, by room name, once each of `rooms` is closed. */
async function storedCalls(
  stack: TestStack,
  rooms: readonly string[],
): Promise<Map<string, StoredCall>> {
  const listAll = async () => {
    const all: StoredCall[] = [];
    let cursor: string | undefined;
    do {
      const query = `personaId=${LOAD_PERSONA_ID}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await admin<{ items: StoredCall[]; nextCursor?: string }>(
        stack,
        `/v1/calls?${query}`,
      );
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return new Map(all.map((c) => [c.roomName, c]));
  };
  const closed = (byRoom: Map<string, StoredCall>) =>
    rooms.every((room) => byRoom.get(room)?.status === 'ended');
  // Records the agent never closes are reported by the verdict, not waited for forever.
  const listed = await eventually(
    'every call record closed',
    listAll,
    closed,
    RECORDS_TIMEOUT_MS,
  ).catch(listAll);
  const detailed = new Map<string, StoredCall>();
  for (const room of rooms) {
    const call = listed.get(room);
    if (call) detailed.set(room, await admin<StoredCall>(stack, `/v1/calls/${call.id}`));
  }
  return detailed;
}

export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const logs = new LogWatch();
  // The questions are the stack's default persona's: the canned fakes learn them once known.
  const canned = options.engines === 'cloud' ? new CannedSpeech() : undefined;
  const cloud = canned && (await startFakeCloud(pocketSphinxPaths(), { canned }));
  const { stack, cleanUp: stopStack } = await startLoadStack(options, logs, cloud?.env ?? {}).catch(
    async (error: unknown) => {
      await cloud?.stop();
      throw error;
    },
  );
  const cleanUp = async () => {
    await stopStack();
    await cloud?.stop();
  };
  const testStack: TestStack = { ...stack, release: cleanUp };
  const failures: string[] = [];
  let stackStopping = false;
  const speechDir = await mkdtemp(path.join(os.tmpdir(), 'parley-load-speech-'));
  try {
    const { questions, lines } = await prepareLoadPersona(testStack, options.engines);
    const utterances = new UtteranceBank(speechDir);
    // Synthesised before the clock starts, so Flite does not compete with the calls.
    const spoken = await Promise.all(questions.map((q) => utterances.get(q.text)));
    canned?.learn(
      spoken.map((u) => ({ text: u.text, samples: u.samples, sampleRate: u.sampleRate })),
    );
    const plan: CallerPlan = { ...PLAN, personaId: LOAD_PERSONA_ID, questions, utterances };

    let longCallJob: number | undefined;
    const sampler = new TreeSampler(
      {
        agent: { pid: () => pidOf(stack, 'agent') },
        server: { pid: () => pidOf(stack, 'server') },
        livekit: { pid: () => pidOf(stack, 'livekit') },
        redis: { pid: () => pidOf(stack, 'redis') },
        // This process alone: the stack's components are its children too.
        visitors: { pid: () => process.pid, descendants: false },
        'long-call-job': { pid: () => longCallJob },
      },
      options.sampleIntervalMs,
    ).start();

    const startedAt = performance.now();
    const clockOffset = Date.now() - startedAt;
    const stopAt = startedAt + options.minutes * 60_000;
    let aborted = false;
    void stack.firstExit.then((name) => {
      if (stackStopping) return;
      failures.push(`stack: ${name} exited during the run`);
      aborted = true;
    });
    const calls: CallLog[] = [];
    const rampStepMs = Math.min(
      MAX_RAMP_STEP_MS,
      (options.minutes * 60_000) / 5 / options.sessions,
    );
    const callers = Array.from({ length: options.sessions }, async (_, slot) => {
      await new Promise((resolve) => setTimeout(resolve, slot * rampStepMs));
      const long = slot === 0;
      await runCaller(
        {
          stack,
          plan,
          random: seededRandom(options.seed * 1_000 + slot),
          stopping: () => aborted || performance.now() >= stopAt,
          onCall: (call) => calls.push(call),
          onJoined: (call) => {
            if (!long || !call.roomName) return;
            const room = call.roomName;
            // The job's journal lock names its pid once the agent has started the record.
            void eventually(
              'the long call job',
              () => jobPidOfRoom(testStack, room),
              Boolean,
              60_000,
            )
              .then((pid) => (longCallJob = pid))
              .catch((error: unknown) => failures.push(`long call: ${(error as Error).message}`));
          },
        },
        slot,
        long,
      );
    });
    await Promise.all(callers);
    const endedAt = performance.now();
    const series = sampler.stop();

    const rooms = calls.flatMap((c) => (c.roomName ? [c.roomName] : []));
    const records = await storedCalls(testStack, rooms).catch((error: unknown) => {
      failures.push(`records: could not be read (${(error as Error).message})`);
      return new Map<string, StoredCall>();
    });
    return buildReport({
      options,
      questions,
      lines,
      calls,
      records,
      series,
      window: { steadyFrom: startedAt + options.sessions * rampStepMs, steadyTo: stopAt },
      clockOffset,
      startedAt,
      durationMs: endedAt - startedAt,
      failures,
      logs: logs.result(),
    });
  } finally {
    stackStopping = true;
    await dispose();
    await cleanUp();
    await rm(speechDir, { recursive: true, force: true });
  }
}
