import { readFile } from 'node:fs/promises';
import { VoiceSession } from '../support/voice-session.js';
import { summarize, type Summary } from './stats.js';

export interface GreetingBurst {
  calls: number;
  /** Between one call's arrival and the next. */
  spacingMs: number;
  /**
   * The caller's side: joined the room → heard the greeting. Joining creates the room, and
   * LiveKit dispatches the agent once the caller is connected.
   */
  afterJoin: Summary;
  /**
   * The agent's side: the worker receives the job → the job's greeting begins playing (the
   * agent's state turns to speaking), from the agent's log.
   */
  afterDispatch: Summary;
  /** Calls not greeted within the timeout, or that failed to open. */
  failures: number;
}

export interface GreetingBurstOptions {
  calls: number;
  spacingMs: number;
  /** The stack's log file, with the agent's `received job request` and `greeting playing`. */
  logFile: string;
  log: (line: string) => void;
}

const GREETING_TIMEOUT_MS = 30_000;

interface AgentLogLine {
  msg?: string;
  time?: number;
  jobId?: string;
  room?: string;
}

/**
 * Per room, milliseconds from the worker receiving the job (LiveKit's dispatch reaching it) to
 * the job's greeting playing, both from the agent's log (one clock: the machine's).
 */
async function dispatchToGreeting(logFile: string): Promise<Map<string, number>> {
  const received = new Map<string, number>();
  const byRoom = new Map<string, number>();
  for (const line of (await readFile(logFile, 'utf8')).split('\n')) {
    if (!line.startsWith('[agent] {')) continue;
    let entry: AgentLogLine;
    try {
      entry = JSON.parse(line.slice(line.indexOf('{'))) as AgentLogLine;
    } catch {
      continue; // not a log record
    }
    if (!entry.jobId || entry.time === undefined) continue;
    if (entry.msg === 'received job request') received.set(entry.jobId, entry.time);
    const start = received.get(entry.jobId);
    if (entry.msg === 'greeting playing' && entry.room && start !== undefined) {
      byRoom.set(entry.room, entry.time - start);
    }
  }
  return byRoom;
}

/**
 * Headless web callers (no pre-connect audio, like a phone caller) arriving `spacingMs` apart;
 * each waits for its greeting and hangs up once it has played. Spaced widely, each call is alone
 * on the machine; spaced closely, they are a burst.
 */
export async function measureGreetingBurst(
  stackUrl: string,
  persona: string,
  options: GreetingBurstOptions,
): Promise<GreetingBurst> {
  const rooms: string[] = [];
  const afterJoin: number[] = [];
  let failures = 0;
  await Promise.all(
    Array.from({ length: options.calls }, async (_, i) => {
      await new Promise((resolve) => setTimeout(resolve, i * options.spacingMs));
      let call: VoiceSession | undefined;
      try {
        call = await VoiceSession.open({ url: stackUrl }, persona);
        rooms.push(call.roomName);
        await call.waitForGreeting(GREETING_TIMEOUT_MS);
        afterJoin.push(call.greetingAfterJoinMs as number);
      } catch (error) {
        failures += 1;
        options.log(`call ${i + 1}: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        await call?.close();
      }
    }),
  );
  // The agent logs asynchronously: give its last lines a moment to reach the file.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const agentSide = await dispatchToGreeting(options.logFile);
  const afterDispatch = rooms.flatMap((room) => {
    const ms = agentSide.get(room);
    return ms === undefined ? [] : [ms];
  });
  return {
    calls: options.calls,
    spacingMs: options.spacingMs,
    afterJoin: summarize(afterJoin),
    afterDispatch: summarize(afterDispatch),
    failures,
  };
}
