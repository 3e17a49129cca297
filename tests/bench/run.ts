/**
 * `npm run bench`: latency, concurrency and size figures of Parley on the real stack, printed as
 * a table and written to tests/artifacts/bench/ (results.json, chart.svg). Not part of `npm test`:
 * the figures depend on the machine and on what else runs on it.
 *
 *   tsx tests/bench/run.ts [--turns 30] [--greetings 20] [--levels 1,2,4,…] [--session-turns 4]
 *                          [--phone-calls 10] [--phone-turns 20] [--burst 10] [--burst-window 10]
 *                          [--barge-ins 5] [--only greetings,burst,web,phone,barge-in]
 *                          [--skip-cloud] [--skip-concurrency] [--turn-taking '{"minEndpointingDelayMs":400}']
 *
 * The agent's end-of-speech settings come from the environment as for `npm run dev`
 * (PARLEY_VAD_SILENCE_MS, PARLEY_STT_SILENCE_MS); `--turn-taking` overrides the bench persona's.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CannedSpeech, pocketSphinxPaths, startFakeCloud } from '@parley/test-fakes';
import type { Stack } from '../../scripts/lib/stack.js';
import { REPO_ROOT, TEST_PORTS } from '../../scripts/lib/stack-config.js';
import { bundleSize, type BundleSize } from '../support/bundle-size.js';
import { putPersona } from '../support/calls.js';
import { personaOf, startLoggedStack, type LoggedStack } from '../support/stack-env.js';
import { UtteranceBank } from '../support/voice-session.js';
import { padWithSilence, writeWav } from '../support/wav.js';
import { BENCH_QUESTIONS, BENCH_TURN_TAKING, benchPersona } from './bench-persona.js';
import { measureBargeIn } from './barge-in.js';
import { measureConcurrency, type ConcurrencyRun } from './concurrency.js';
import { measureGreetingBurst, type GreetingBurst } from './greeting-burst.js';
import { burstLine, chart, median, table, verdicts, type BenchResults } from './report.js';
import { measurePhone } from './phone-latency.js';
import { summarize } from './stats.js';
import { measureClickToGreeting, measureWebVoiceToVoice, type WebTurn } from './web-latency.js';

const { values: args } = parseArgs({
  options: {
    turns: { type: 'string', default: '30' },
    greetings: { type: 'string', default: '20' },
    levels: { type: 'string', default: '1,2,4,6,8,12,16,20,25,30' },
    'session-turns': { type: 'string', default: '4' },
    'phone-calls': { type: 'string', default: '10' },
    'phone-turns': { type: 'string', default: '20' },
    burst: { type: 'string', default: '10' },
    'burst-window': { type: 'string', default: '10' },
    'barge-ins': { type: 'string', default: '5' },
    'skip-cloud': { type: 'boolean', default: false },
    'skip-concurrency': { type: 'boolean', default: false },
    'turn-taking': { type: 'string', default: '{}' },
    only: { type: 'string' },
  },
});
const SECTIONS = ['greetings', 'burst', 'web', 'phone', 'barge-in'] as const;
const ONLY = args.only?.split(',');
const unknownSection = ONLY?.find((s) => !(SECTIONS as readonly string[]).includes(s));
if (unknownSection) throw new Error(`--only takes ${SECTIONS.join(', ')}; not ${unknownSection}`);
/** Whether a section of the offline stack's figures is measured (`--only` leaves out the rest). */
const measures = (section: (typeof SECTIONS)[number]) => !ONLY || ONLY.includes(section);

const count = (name: string, value: string | undefined, least = 1) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < least) throw new Error(`--${name} must be an integer ≥ ${least}`);
  return n;
};
const TURNS = count('turns', args.turns);
const GREETINGS = count('greetings', args.greetings, 0);
const SESSION_TURNS = count('session-turns', args['session-turns']);
const PHONE_CALLS = count('phone-calls', args['phone-calls']);
const PHONE_TURNS = count('phone-turns', args['phone-turns']);
const BURST = count('burst', args.burst);
const BURST_WINDOW_MS = count('burst-window', args['burst-window']) * 1000;
const BARGE_INS = count('barge-ins', args['barge-ins'], 0);
/** Far enough apart that each call is alone and the idle processes are refilled. */
const LONE_SPACING_MS = 8000;
const LEVELS = (args.levels ?? '').split(',').map((v) => count('levels', v));
const TURN_TAKING = {
  ...BENCH_TURN_TAKING,
  ...(JSON.parse(args['turn-taking'] ?? '{}') as Record<string, unknown>),
};

const OUT = path.join(REPO_ROOT, 'tests', 'artifacts', 'bench');
const PNPM = path.join(REPO_ROOT, '.tools/pnpm/node_modules/.bin/pnpm');
/** Enough job processes for the largest concurrency level. */
const AGENT_ENV = { PARLEY_AGENT_MAX_JOBS: String(Math.max(...LEVELS) + 5) };

const step = (line: string) => process.stdout.write(`\n==> ${line}\n`);
const say = (line: string) => process.stdout.write(`    ${line}\n`);
const skipped = <T>(what: string, empty: T): T => {
  say(`${what}: left out (--only)`);
  return empty;
};

async function withStack<T>(
  name: string,
  agentEnv: NodeJS.ProcessEnv,
  work: (stack: LoggedStack) => Promise<T>,
): Promise<T> {
  const stack = await startLoggedStack(`bench-${name}`, path.join(OUT, `stack-${name}.log`), {
    ports: TEST_PORTS,
    agentEnv: { ...AGENT_ENV, ...agentEnv },
  });
  say(`stack up at ${stack.url} (logs: tests/artifacts/bench/stack-${name}.log)`);
  try {
    return await work(stack);
  } finally {
    await stack.release();
  }
}

/** The stack's own processes (the agent with its job processes, server, livekit-server, Redis). */
const pidsOf = (stack: Stack) => stack.processes.flatMap((p) => (p.child.pid ? [p.child.pid] : []));

function stages(turns: WebTurn[]) {
  const timed = turns.filter((t) => t.timings.e2eMs !== undefined);
  if (timed.length === 0) return { stages: undefined, remainder: undefined };
  const remainders = timed.map((t) => t.voiceToVoiceMs - (t.timings.e2eMs as number));
  return {
    stages: {
      turns: timed.length,
      endOfTurnMs: median(timed.map((t) => t.timings.endOfTurnMs)),
      transcriptionMs: median(timed.map((t) => t.timings.transcriptionMs)),
      llmFirstTokenMs: median(timed.map((t) => t.timings.llmFirstTokenMs)),
      ttsFirstByteMs: median(timed.map((t) => t.timings.ttsFirstByteMs)),
      agentMs: median(timed.map((t) => t.timings.e2eMs)),
      transportAndFrameworkMs: median(remainders),
      inboundMs: median(timed.map((t) => t.inboundMs)),
      outboundMs: median(timed.map((t) => t.outboundMs)),
    },
    remainder: summarize(remainders),
  };
}

async function main(): Promise<void> {
  await mkdir(OUT, { recursive: true });
  const work = await mkdtemp(path.join(os.tmpdir(), 'parley-bench-work-'));
  // The concurrency callers' questions, spoken by Flite; the canned cloud fakes know them.
  const bank = new UtteranceBank(work, { before: 0.2, after: 1.5 });
  step('building the widget');
  const build = spawnSync(PNPM, ['--filter', '@parley/widget', 'build'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (build.status !== 0) throw new Error('the widget build failed');
  const bundles: BundleSize[] = [bundleSize('parley.js'), bundleSize('parley-voice.js')];

  step(
    'offline stack: Redis, livekit-server, livekit-sip, server, agent (PocketSphinx, scripted, Flite)',
  );
  const offline = await withStack('offline', {}, async (stack) => {
    await putPersona(
      stack,
      benchPersona('bench', { stt: 'offline', llm: 'scripted', tts: 'offline' }, TURN_TAKING),
    );
    const silent = path.join(work, 'silent.wav');
    await writeWav(
      silent,
      padWithSilence({ sampleRate: 16_000, samples: new Int16Array(0) }, 0, 30),
    );

    step(`click-to-greeting in Chromium: ${GREETINGS} calls`);
    const greetings = measures('greetings')
      ? await measureClickToGreeting(stack, 'bench', GREETINGS, silent)
      : skipped('click-to-greeting', []);
    say(`greeting ms: ${greetings.map((g) => Math.round(g.greetingMs)).join(', ')}`);

    // The persona every newcomer gets; headless callers send no pre-connect audio (as a phone).
    const greetingRun = (calls: number, spacingMs: number) =>
      measureGreetingBurst(stack.url, 'default', {
        calls,
        spacingMs,
        logFile: stack.logFile,
        log: say,
      });
    step(`greeting after dispatch: ${BURST} callers one at a time, then ${BURST} in a burst`);
    const noBurst = (spacingMs: number): GreetingBurst => ({
      calls: 0,
      spacingMs,
      afterJoin: summarize([]),
      afterDispatch: summarize([]),
      failures: 0,
    });
    const alone = measures('burst')
      ? await greetingRun(BURST, LONE_SPACING_MS)
      : skipped('greeting after dispatch', noBurst(LONE_SPACING_MS));
    say(burstLine(alone));
    if (measures('burst')) await new Promise((resolve) => setTimeout(resolve, LONE_SPACING_MS));
    const burst = measures('burst')
      ? await greetingRun(BURST, BURST_WINDOW_MS / BURST)
      : noBurst(BURST_WINDOW_MS / BURST);
    say(burstLine(burst));

    step(
      `web voice-to-voice in Chromium: one call, ${TURNS} questions (~${Math.ceil((TURNS * 9.5) / 60)} min)`,
    );
    const web = measures('web')
      ? await measureWebVoiceToVoice(stack, 'bench', TURNS, work)
      : skipped('web voice-to-voice', {
          turns: [],
          unmeasured: 0,
          asked: 0,
          storedTurns: 0,
          receiver: { outputLatencyMs: Number.NaN },
        });
    say(`v2v ms: ${web.turns.map((t) => Math.round(t.voiceToVoiceMs)).join(', ')}`);

    // The persona every newcomer gets, not the bench persona: phone figures on shipped defaults.
    step(
      `phone through livekit-sip (baresip, G.722): ${PHONE_CALLS} answers, ${PHONE_TURNS} spoken turns, ${PHONE_CALLS} outbound calls`,
    );
    const phone = measures('phone')
      ? await measurePhone(
          stack,
          await personaOf(stack),
          { calls: PHONE_CALLS, turns: PHONE_TURNS, workDir: work },
          say,
        )
      : skipped('phone', { answerMs: [], turns: [], asked: 0, outboundAnsweredMs: [] });

    // Talked over on the shipped turn-taking (the `default` persona's, with a long answer added),
    // unless `--turn-taking` tunes it.
    step(`barge-in: ${BARGE_INS} × (a question, "yeah, okay" and a cough over a long answer)`);
    const shipped = await personaOf(stack);
    const bargeIn = await measureBargeIn(
      stack,
      { ...shipped, turnTaking: { ...shipped.turnTaking, ...TURN_TAKING } },
      { calls: measures('barge-in') ? BARGE_INS : skipped('barge-in', 0), workDir: work },
      say,
    );

    let concurrency: ConcurrencyRun = { levels: [], maxHeld: 0 };
    if (!args['skip-concurrency']) {
      step(`concurrency, offline engines: levels ${LEVELS.join(', ')}`);
      concurrency = await measureConcurrency(stack.url, 'bench', {
        levels: LEVELS,
        turnsPerSession: SESSION_TURNS,
        bank,
        stackPids: pidsOf(stack),
        log: say,
      });
    }
    return { greetings, greetingAfterDispatch: { alone, burst }, web, phone, bargeIn, concurrency };
  });

  let cloudFakes: ConcurrencyRun | { blocked: string } | undefined;
  if (!args['skip-cloud'] && !args['skip-concurrency']) {
    step(
      'cloud-fakes stack: Deepgram, OpenAI and Cartesia plugins against the local protocol fakes, ' +
        'canned (transcripts matched to the known questions, answers rendered once)',
    );
    const questions = await Promise.all(BENCH_QUESTIONS.map((q) => bank.get(q)));
    const canned = new CannedSpeech(
      questions.map((u) => ({ text: u.text, samples: u.samples, sampleRate: u.sampleRate })),
    );
    const cloud = await startFakeCloud(pocketSphinxPaths(), { canned });
    try {
      cloudFakes = await withStack('cloud', cloud.env, async (stack) => {
        await putPersona(
          stack,
          benchPersona(
            'bench-cloud',
            { stt: 'deepgram', llm: 'openai', tts: 'cartesia' },
            TURN_TAKING,
          ),
        );
        step(`concurrency, cloud plugins: levels ${LEVELS.join(', ')}`);
        return measureConcurrency(stack.url, 'bench-cloud', {
          levels: LEVELS,
          turnsPerSession: SESSION_TURNS,
          bank,
          stackPids: pidsOf(stack),
          log: say,
        });
      });
    } finally {
      await cloud.stop();
    }
  }

  const { stages: breakdown, remainder } = stages(offline.web.turns);
  const partial: Omit<BenchResults, 'verdicts'> = {
    measuredAt: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      memoryGb: Math.round(os.totalmem() / 1024 ** 3),
      node: process.version,
    },
    settings: {
      turns: TURNS,
      greetings: GREETINGS,
      levels: LEVELS,
      sessionTurns: SESSION_TURNS,
      turnTaking: TURN_TAKING,
      endOfSpeech: {
        vadSilenceMs: process.env.PARLEY_VAD_SILENCE_MS ?? 'default',
        sttSilenceMs: process.env.PARLEY_STT_SILENCE_MS ?? 'default',
      },
    },
    web: {
      voiceToVoice: summarize(offline.web.turns.map((t) => t.voiceToVoiceMs)),
      asked: offline.web.asked,
      unmeasured: offline.web.unmeasured,
      storedTurns: offline.web.storedTurns,
      stages: breakdown,
      transportAndFramework: remainder,
      receiver: offline.web.receiver,
    },
    phone: {
      persona: 'default',
      voiceToVoice: summarize(offline.phone.turns.map((t) => t.voiceToVoiceMs)),
      asked: offline.phone.asked,
      answer: summarize(offline.phone.answerMs),
      outboundAnswered: summarize(offline.phone.outboundAnsweredMs),
    },
    clickToGreeting: {
      ...summarize(offline.greetings.map((g) => g.greetingMs)),
      steps: {
        connectingMs: median(offline.greetings.map((g) => g.connectingMs)),
        roomJoinedMs: median(offline.greetings.map((g) => g.roomJoinedMs)),
        agentJoinedMs: median(offline.greetings.map((g) => g.agentJoinedMs)),
      },
    },
    greetingAfterDispatch: offline.greetingAfterDispatch,
    bargeIn: offline.bargeIn,
    concurrency: { offline: offline.concurrency, cloudFakes },
    bundles,
  };
  const results: BenchResults = { ...partial, verdicts: verdicts(partial) };
  await writeFile(path.join(OUT, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(path.join(OUT, 'chart.svg'), chart(results));
  step('results (tests/artifacts/bench/results.json, chart.svg)');
  process.stdout.write(`${table(results)}\n`);
  await rm(work, { recursive: true, force: true });
  // rtc-node keeps native handles (the visitors' rooms) referenced after they disconnect.
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`\nbench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
