/**
 * What a load run found: the verdict, latencies under load, CPU and memory per component and
 * per session, the stack's errors and overload signs. Serialised to results.json and printed.
 */
import os from 'node:os';
import { summarize, type Summary } from '../bench/stats.js';
import type { StoredCall } from '../support/calls.js';
import {
  cpuByProcessName,
  meanChildRss,
  memoryTrend,
  rootRss,
  type MemoryTrend,
  type RssOf,
  type SeriesPoint,
  type TreeSample,
} from '../support/process-stats.js';
import type { CallLog, Question } from './caller.js';
import type { LogSummary } from './log-watch.js';
import type { LoadOptions } from './options.js';
import { mb, ms } from './stats.js';
import { callFailures, memoryFailures, type PersonaLines } from './verdict.js';

export const PHONE_SHARE_BLOCKED =
  'phone share not run: this run has no phone callers yet (the phone suites call livekit-sip ' +
  'with real SIP phones), so all sessions are web sessions';

/** How much a component's mean RSS may grow from the middle to the last third of steady load. */
export const MAX_MEMORY_GROWTH = 0.1;

/**
 * Memory that must stay flat. Not the agent tree as a whole: it holds one job process per call
 * in progress (plus those starting and stopping), so it follows how many calls there are at
 * the moment; per job process it must not grow.
 */
const MEMORY_WATCH: { label: string; tree: string; rss?: RssOf }[] = [
  { label: 'agent job processes (mean per process)', tree: 'agent', rss: meanChildRss },
  { label: 'agent worker process', tree: 'agent', rss: rootRss },
  { label: 'server', tree: 'server' },
  { label: 'livekit-server', tree: 'livekit' },
  { label: 'job process of the long call', tree: 'long-call-job' },
];

/** The components that serve calls, for the CPU per session. */
const STACK_TREES = ['agent', 'server', 'livekit', 'redis'];
const STAGES = ['endOfTurnMs', 'transcriptionMs', 'llmFirstTokenMs', 'ttsFirstByteMs', 'e2eMs'];

export interface TreeSummary {
  /** CPU used during steady load, and as cores busy on average. */
  cpuSeconds: number;
  cpuCores: number;
  /** CPU seconds by kind of process (see `cpuByProcessName`). */
  cpuByName: Record<string, number>;
  rss: { min: number; mean: number; max: number };
  processes: { min: number; max: number };
  trend?: MemoryTrend;
}

export interface LoadReport {
  passed: boolean;
  failures: string[];
  options: LoadOptions;
  phone: string;
  durationS: number;
  steadyS: number;
  calls: {
    opened: number;
    greeted: number;
    dropped: number;
    failed: number;
    turnsSpoken: number;
    turnsAnswered: number;
    /** Stored replies that were the knowledge answer to the question asked. */
    expectedAnswers: number;
  };
  latency: {
    v2vMs: Summary;
    greetingMs: Summary;
    /** The agent's own per-turn timings, from the call records. */
    stages: Record<string, Summary>;
  };
  resources: {
    cores: number;
    trees: Record<string, TreeSummary>;
    memory: { label: string; trend?: MemoryTrend }[];
    /** Calls in conversation (greeted, not yet ended), on average over full load. */
    liveCalls: number;
    /** Per call in conversation. */
    perSession: { cpuCores: number; agentRssBytes: number };
    loadAverage: number[];
  };
  logs: LogSummary;
  /** Every sample: seconds since the start; per tree RSS, CPU, process count, RSS by process name. */
  series: { s: number; trees: Record<string, SeriesEntry> }[];
  /** Each call as the visitor lived it, with its record as stored. */
  callLogs: (CallLog & { stored?: StoredSummary })[];
}

export interface SeriesEntry {
  rss: number;
  cpu: number;
  n: number;
  /** RSS by process name (the root as `<name> (root)`), to tell which process grows. */
  rssByName: Record<string, number>;
}

function seriesEntry(tree: TreeSample): SeriesEntry {
  const rssByName: Record<string, number> = {};
  tree.processes.forEach((p, i) => {
    const key = i === 0 ? `${p.name} (root)` : p.name;
    rssByName[key] = (rssByName[key] ?? 0) + p.rssBytes;
  });
  return {
    rss: tree.rssBytes,
    cpu: Math.round(tree.cpuSeconds * 100) / 100,
    n: tree.processes.length,
    rssByName,
  };
}

/** The parts of a stored call the verdict reads. */
export interface StoredSummary {
  status: string;
  outcome?: string;
  closedBy?: string;
  turns: { user?: string; agent?: string; interrupted: boolean; timings: Record<string, number> }[];
}

function storedSummary(record: StoredCall | undefined): StoredSummary | undefined {
  if (!record) return undefined;
  const { status, outcome, closedBy, turns } = record;
  return {
    status,
    outcome,
    closedBy,
    turns: turns.map((t) => ({
      user: t.userText,
      agent: t.agentText,
      interrupted: t.interrupted,
      timings: t.timings,
    })),
  };
}

export interface ReportInput {
  options: LoadOptions;
  questions: readonly Question[];
  lines: PersonaLines;
  calls: CallLog[];
  records: ReadonlyMap<string, StoredCall>;
  series: SeriesPoint[];
  /** Steady load: every caller has started and none has been told to stop (performance.now()). */
  window: { steadyFrom: number; steadyTo: number };
  /** `Date.now() - performance.now()`, to place the calls' wall-clock times in the window. */
  clockOffset: number;
  startedAt: number;
  durationMs: number;
  failures: string[];
  logs: LogSummary;
}

function summarizeTree(
  points: SeriesPoint[],
  tree: string,
  seconds: number,
): TreeSummary | undefined {
  const samples = points.flatMap((p) => (p.trees[tree] ? [p.trees[tree] as TreeSample] : []));
  const first = samples[0];
  const last = samples.at(-1);
  if (!first || !last) return undefined;
  const rss = samples.map((s) => s.rssBytes);
  const counts = samples.map((s) => s.processes.length);
  const cpuSeconds = last.cpuSeconds - first.cpuSeconds;
  const { byName, exited } = cpuByProcessName(points, tree);
  return {
    cpuSeconds,
    cpuCores: cpuSeconds / seconds,
    cpuByName: { ...byName, 'exited between samples': exited },
    rss: {
      min: Math.min(...rss),
      mean: rss.reduce((a, b) => a + b, 0) / rss.length,
      max: Math.max(...rss),
    },
    processes: { min: Math.min(...counts), max: Math.max(...counts) },
    trend: memoryTrend(points, tree),
  };
}

/**
 * Questions the visitor asked whose answer the call's record holds: each asked question takes the
 * first stored reply, not taken yet, that carries its answer (a turn the agent missed shifts the
 * record's turns against the visitor's, so they are not paired by position).
 */
function expectedAnswers(
  calls: readonly CallLog[],
  records: ReadonlyMap<string, StoredCall>,
  questions: readonly Question[],
): number {
  const answerOf = new Map(questions.map((q) => [q.text, q.answer]));
  let matched = 0;
  for (const call of calls) {
    const record = call.roomName ? records.get(call.roomName) : undefined;
    const replies = (record?.turns ?? []).filter((t) => t.userText).map((t) => t.agentText ?? '');
    const taken = new Set<number>();
    for (const turn of call.turns) {
      const answer = answerOf.get(turn.question);
      const at = replies.findIndex(
        (reply, i) => !taken.has(i) && !!answer && reply.includes(answer),
      );
      if (at >= 0) {
        taken.add(at);
        matched++;
      }
    }
  }
  return matched;
}

const defined = (values: (number | undefined)[]) => values.filter((v) => v !== undefined);

/** How many calls were in conversation (greeting heard, not hung up) on average in the window. */
function meanLiveCalls(
  calls: readonly CallLog[],
  window: { steadyFrom: number; steadyTo: number },
  clockOffset: number,
): number {
  let callSeconds = 0;
  for (const call of calls) {
    if (call.greetingMs === undefined || !call.endedAt) continue;
    const from = Date.parse(call.startedAt) - clockOffset + call.greetingMs;
    const to = Date.parse(call.endedAt) - clockOffset;
    const overlap = Math.min(to, window.steadyTo) - Math.max(from, window.steadyFrom);
    if (overlap > 0) callSeconds += overlap;
  }
  return callSeconds / (window.steadyTo - window.steadyFrom);
}

export function buildReport(input: ReportInput): LoadReport {
  const { options, calls, records, series, window } = input;
  const steady = series.filter((p) => p.at >= window.steadyFrom && p.at <= window.steadyTo);
  const steadyS = (window.steadyTo - window.steadyFrom) / 1000;
  const trees: Record<string, TreeSummary> = {};
  for (const tree of new Set(series.flatMap((p) => Object.keys(p.trees)))) {
    const summary = summarizeTree(steady, tree, steadyS);
    if (summary) trees[tree] = summary;
  }
  const memory = MEMORY_WATCH.map(({ label, tree, rss }) => ({
    label,
    trend: memoryTrend(steady, tree, rss),
  }));
  const expected = expectedAnswers(calls, records, input.questions);
  const answered = calls.flatMap((c) => c.turns).filter((t) => t.answered).length;
  const failures = [
    ...input.failures,
    // Canned transcripts cannot mishear: a wrong answer means the agent heard cut or garbled audio.
    ...(options.engines === 'cloud' && expected < answered
      ? [`${answered - expected} answered turns stored without the expected knowledge answer`]
      : []),
    ...callFailures(calls, records, input.lines),
    ...memoryFailures(
      memory.map(({ label, trend }) => ({ label, trend, maxGrowth: MAX_MEMORY_GROWTH })),
    ),
  ];

  const turns = calls.flatMap((c) => c.turns);
  const storedTurns = [...records.values()].flatMap((r) => r.turns.filter((t) => t.userText));
  const stackCores = STACK_TREES.reduce((sum, tree) => sum + (trees[tree]?.cpuCores ?? 0), 0);
  const liveCalls = meanLiveCalls(calls, window, input.clockOffset);
  return {
    passed: failures.length === 0,
    failures,
    options,
    phone: PHONE_SHARE_BLOCKED,
    durationS: input.durationMs / 1000,
    steadyS,
    calls: {
      opened: calls.length,
      greeted: calls.filter((c) => c.greetingMs !== undefined).length,
      dropped: calls.filter((c) => c.dropped).length,
      failed: calls.filter((c) => c.error).length,
      turnsSpoken: turns.length,
      turnsAnswered: turns.filter((t) => t.answered).length,
      expectedAnswers: expected,
    },
    latency: {
      v2vMs: summarize(defined(turns.map((t) => t.v2vMs))),
      greetingMs: summarize(defined(calls.map((c) => c.greetingMs))),
      stages: Object.fromEntries(
        STAGES.map((stage) => [
          stage,
          summarize(defined(storedTurns.map((t) => t.timings[stage]))),
        ]),
      ),
    },
    resources: {
      cores: os.availableParallelism(),
      trees,
      memory,
      liveCalls,
      perSession: {
        cpuCores: liveCalls > 0 ? stackCores / liveCalls : 0,
        agentRssBytes: liveCalls > 0 ? (trees.agent?.rss.mean ?? 0) / liveCalls : 0,
      },
      loadAverage: os.loadavg(),
    },
    logs: input.logs,
    series: series.map((p) => ({
      s: Math.round((p.at - input.startedAt) / 100) / 10,
      trees: Object.fromEntries(Object.entries(p.trees).map(([name, t]) => [name, seriesEntry(t)])),
    })),
    callLogs: calls.map((call) => ({
      ...call,
      stored: storedSummary(call.roomName ? records.get(call.roomName) : undefined),
    })),
  };
}

const percent = (fraction: number) => `${(fraction * 100).toFixed(1)} %`;

const engineLabel = (engines: LoadOptions['engines']) =>
  engines === 'cloud'
    ? 'cloud plugins (Deepgram, OpenAI, Cartesia) on the canned fakes'
    : 'offline engines (PocketSphinx, scripted responder, Flite)';

/** The report as lines for the terminal. */
export function formatReport(report: LoadReport): string[] {
  const { calls, latency, resources, logs } = report;
  const dist = (d: Summary) =>
    `p50 ${ms(d.p50)}, p95 ${ms(d.p95)}, max ${ms(d.max)} (n=${d.count})`;
  const lines = [
    `Load run: ${report.options.sessions} web sessions for ${report.options.minutes} min ` +
      `(${report.durationS.toFixed(0)} s in all, ${report.steadyS.toFixed(0)} s at full load), ` +
      `${report.options.database}, ${engineLabel(report.options.engines)}, seed ${report.options.seed}`,
    `NOTE: ${report.phone}`,
    `calls: ${calls.opened} opened, ${calls.greeted} greeted, ${calls.dropped} dropped, ` +
      `${calls.failed} failed`,
    `turns: ${calls.turnsSpoken} spoken, ${calls.turnsAnswered} answered, ` +
      `${calls.expectedAnswers} stored with the expected knowledge answer`,
    `voice-to-voice under load: ${dist(latency.v2vMs)}`,
    `greeting (open → first audio): ${dist(latency.greetingMs)}`,
    ...Object.entries(latency.stages).map(([stage, d]) => `  agent ${stage}: ${dist(d)}`),
    `per call in conversation (${resources.liveCalls.toFixed(1)} on average): ` +
      `${percent(resources.perSession.cpuCores)} of a core (agent, server, livekit, redis), ` +
      `${mb(resources.perSession.agentRssBytes)} of agent RSS; machine: ` +
      `${resources.cores} cores, load average ${resources.loadAverage.map((l) => l.toFixed(1)).join(' ')}`,
    'at full load     cpu cores  RSS min / mean / max        processes',
  ];
  for (const [name, tree] of Object.entries(resources.trees)) {
    lines.push(
      `${name.padEnd(16)} ${tree.cpuCores.toFixed(2).padStart(9)}  ` +
        `${`${mb(tree.rss.min)} / ${mb(tree.rss.mean)} / ${mb(tree.rss.max)}`.padEnd(27)} ` +
        `${tree.processes.min}–${tree.processes.max}`,
    );
  }
  const agentCpu = resources.trees.agent?.cpuByName ?? {};
  lines.push(
    `agent CPU by process: ${Object.entries(agentCpu)
      .map(([name, seconds]) => `${name} ${seconds.toFixed(0)} s`)
      .join(', ')}`,
    'memory, middle → last third of full load:',
    ...resources.memory.map(
      ({ label, trend }) =>
        `  ${label}: ${
          trend
            ? `${mb(trend.middleMeanBytes)} → ${mb(trend.lastMeanBytes)} (${percent(trend.growth)})`
            : 'too few samples'
        }`,
    ),
  );
  for (const [name, signal] of Object.entries(logs.saturation)) {
    const figure = signal.maxFigure === undefined ? '' : `, worst ${ms(signal.maxFigure)}`;
    lines.push(`overload sign ${name}: ${signal.lines} log lines${figure}`);
  }
  for (const [component, count] of Object.entries(logs.errors)) {
    const samples = logs.errorSamples[component] ?? [];
    lines.push(`log errors in ${component}: ${count} (e.g. ${samples.join(' | ')})`);
  }
  lines.push(
    report.passed ? 'PASS' : `FAIL (${report.failures.length}):`,
    ...report.failures.map((f) => `  ${f}`),
  );
  return lines;
}
