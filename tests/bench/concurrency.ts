import { readFileSync } from 'node:fs';
import { sampleTree } from '../support/process-stats.js';
import type { UtteranceBank } from '../support/voice-session.js';
import { VoiceSession } from '../support/voice-session.js';
import { BENCH_ANSWERS, BENCH_QUESTIONS } from './bench-persona.js';
import { summarize, type Summary } from './stats.js';

/** p95 voice-to-voice a level must stay under to count as held. */
export const HELD_P95_MS = 1000;

export interface ConcurrencyLevel {
  sessions: number;
  voiceToVoice: Summary;
  /** Turns that got no reply, or sessions that failed to open or were dropped. */
  failures: number;
  /** Turns answered with something other than the question's answer (misheard or cut). */
  wrongAnswers: number;
  /**
   * CPU cores of the bench process itself while the level ran: the visitors (the load
   * generator) and, on the cloud stack, the protocol fakes. Not part of `cores`.
   */
  generatorCores: number;
  /** CPU cores the stack (agent, server, livekit-server, Redis) used while the level ran. */
  cores: number;
  /** Cores per session above the idle stack. */
  coresPerSession: number;
  /** Resident memory of the stack at the level's peak, and per session above idle. */
  rssMb: number;
  rssPerSessionMb: number;
  /** The same in proportional set size (shared pages counted once across processes). */
  pssMb: number;
  pssPerSessionMb: number;
  held: boolean;
}

export interface ConcurrencyRun {
  levels: ConcurrencyLevel[];
  /** The most sessions at which p95 stayed under {@link HELD_P95_MS} with no failure (0: none). */
  maxHeld: number;
}

export interface ConcurrencyOptions {
  /** Session counts to try, in order; stops after the first level that does not hold. */
  levels: number[];
  turnsPerSession: number;
  /** The questions' audio (the same bank the canned fakes were given, if any). */
  bank: UtteranceBank;
  /** Pids of the stack's processes (their trees are measured). */
  stackPids: number[];
  log: (line: string) => void;
}

const MB = 1024 * 1024;

/**
 * Proportional set size of a process: its private memory plus its share of pages it shares
 * (the node binary, onnxruntime): unlike RSS, it adds up across processes.
 */
function pssBytes(pid: number): number {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    return Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0) * 1024;
  } catch {
    return 0; // exited meanwhile
  }
}

interface Usage {
  cpuSeconds: number;
  rssBytes: number;
  pssBytes: number;
}

function stackUsage(pids: number[]): Usage {
  const usage: Usage = { cpuSeconds: 0, rssBytes: 0, pssBytes: 0 };
  for (const pid of pids) {
    const tree = sampleTree(pid);
    usage.cpuSeconds += tree.cpuSeconds;
    usage.rssBytes += tree.rssBytes;
    for (const p of tree.processes) usage.pssBytes += pssBytes(p.pid);
  }
  return usage;
}

/**
 * Concurrency: for each level, that many headless visitors call at once (staggered over a
 * second) and each asks `turnsPerSession` questions, starting at random offsets so turns do not
 * line up. Voice-to-voice is measured by each visitor; CPU and memory of the stack are sampled.
 */
export async function measureConcurrency(
  stackUrl: string,
  persona: string,
  options: ConcurrencyOptions,
): Promise<ConcurrencyRun> {
  const { bank } = options;
  // The idle stack (heartbeats, idle job processes): what sessions are measured above.
  const idleStart = stackUsage(options.stackPids);
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const idleEnd = stackUsage(options.stackPids);
  const idle = { ...idleEnd, cores: (idleEnd.cpuSeconds - idleStart.cpuSeconds) / 3 };
  const levels: ConcurrencyLevel[] = [];
  for (const sessions of options.levels) {
    const level = await runLevel(stackUrl, persona, sessions, bank, options, idle);
    levels.push(level);
    options.log(
      `${sessions} sessions: p50 ${level.voiceToVoice.p50} ms, p95 ${level.voiceToVoice.p95} ms, ` +
        `${level.failures} failures, ${level.wrongAnswers} wrong answers, ` +
        `${level.cores.toFixed(2)} cores (bench process ${level.generatorCores.toFixed(2)}), ` +
        `${Math.round(level.pssPerSessionMb)} MB PSS per session`,
    );
    if (!level.held) break;
    // Let ended calls' jobs wind down before the next level.
    await new Promise((resolve) => setTimeout(resolve, 5000));
  }
  const held = levels.filter((l) => l.held).map((l) => l.sessions);
  return { levels, maxHeld: held.length > 0 ? Math.max(...held) : 0 };
}

async function runLevel(
  stackUrl: string,
  persona: string,
  sessions: number,
  bank: UtteranceBank,
  options: ConcurrencyOptions,
  idle: Usage & { cores: number },
): Promise<ConcurrencyLevel> {
  const before = stackUsage(options.stackPids);
  const generatorBefore = process.cpuUsage();
  const startedAt = performance.now();
  const peak = { rss: before.rssBytes, pss: before.pssBytes };
  const sampler = setInterval(() => {
    const now = stackUsage(options.stackPids);
    peak.rss = Math.max(peak.rss, now.rssBytes);
    peak.pss = Math.max(peak.pss, now.pssBytes);
  }, 1000);
  const latencies: number[] = [];
  let failures = 0;
  let wrongAnswers = 0;
  try {
    await Promise.all(
      Array.from({ length: sessions }, async (_, index) => {
        await new Promise((resolve) => setTimeout(resolve, (index * 1000) / sessions));
        let call: VoiceSession | undefined;
        try {
          call = await VoiceSession.open({ url: stackUrl }, persona);
          await call.waitForGreeting(60_000);
          for (let turn = 0; turn < options.turnsPerSession; turn++) {
            // A listener's pause, different per visitor, so turns spread out.
            await new Promise((resolve) => setTimeout(resolve, 300 + Math.random() * 1500));
            const question = BENCH_QUESTIONS[
              (index + turn) % BENCH_QUESTIONS.length
            ] as (typeof BENCH_QUESTIONS)[number];
            const sample = await call.turn(await bank.get(question), { replyTimeoutMs: 20_000 });
            if (sample.v2vMs === undefined) failures++;
            else latencies.push(sample.v2vMs);
            if (!sameWords(sample.replyText, BENCH_ANSWERS[question])) {
              wrongAnswers++;
              options.log(`  session ${index}: "${question}" answered "${sample.replyText}"`);
            }
          }
        } catch (error) {
          failures++;
          options.log(`  session ${index}: ${(error as Error).message}`);
        } finally {
          await call?.close();
        }
      }),
    );
  } finally {
    clearInterval(sampler);
  }
  const after = stackUsage(options.stackPids);
  const generator = process.cpuUsage(generatorBefore);
  const seconds = (performance.now() - startedAt) / 1000;
  const cores = (after.cpuSeconds - before.cpuSeconds) / seconds;
  const voiceToVoice = summarize(latencies);
  return {
    sessions,
    voiceToVoice,
    failures,
    wrongAnswers,
    generatorCores: (generator.user + generator.system) / 1e6 / seconds,
    cores,
    coresPerSession: Math.max(0, cores - idle.cores) / sessions,
    rssMb: peak.rss / MB,
    rssPerSessionMb: Math.max(0, peak.rss - idle.rssBytes) / MB / sessions,
    pssMb: peak.pss / MB,
    pssPerSessionMb: Math.max(0, peak.pss - idle.pssBytes) / MB / sessions,
    held:
      failures === 0 &&
      wrongAnswers === 0 &&
      latencies.length > 0 &&
      voiceToVoice.p95 < HELD_P95_MS,
  };
}

const words = (text: string) =>
  text
    .toLowerCase()
    .match(/[a-z0-9']+/g)
    ?.join(' ') ?? '';

/** Whether a reply is the expected answer, up to case and punctuation. */
function sameWords(reply: string, expected: string): boolean {
  return words(reply) === words(expected);
}
