import { readFile } from 'node:fs/promises';
import { VoiceSession } from '../support/voice-session.js';
import { summarize, type Summary } from './stats.js';

export interface GreetingBurst {
  calls: number;
  /** Between one call's arrival and the next. */
  spacingMs: number;
  /** Joining the room (which dispatches the agent) → the caller hears the greeting. */
  afterJoin: Summary;
  /** The agent's own part: its job starts → its greeting begins playing (from the agent's log). */
  jobToGreeting: Summary;
  /** Calls not greeted within the timeout, or that failed to open. */
  failures: number;
}

export interface GreetingBurstOptions {
  calls: number;
  spacingMs: number;
  /** The stack's log file, where the agent writes `greeting playing` with its `greetingMs`. */
  logFile: string;
  log: (line: string) => void;
}

const GREETING_TIMEOUT_MS = 30_000;

/** Each job's `greetingMs` in the agent's log, by room. */
async function jobGreetings(logFile: string): Promise<Map<string, number>> {
  const byRoom = new Map<string, number>();
  for (const line of (await readFile(logFile, 'utf8')).split('\n')) {
    if (!line.includes('"greeting playing"')) continue;
    try {
      const entry = JSON.parse(line.slice(line.indexOf('{'))) as {
        room?: string;
        greetingMs?: number;
      };
      if (entry.room && typeof entry.greetingMs === 'number') {
        byRoom.set(entry.room, entry.greetingMs);
      }
    } catch {
      // a line that merely mentions the phrase
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
  const jobs = await jobGreetings(options.logFile);
  const jobToGreeting = rooms.flatMap((room) => {
    const ms = jobs.get(room);
    return ms === undefined ? [] : [ms];
  });
  return {
    calls: options.calls,
    spacingMs: options.spacingMs,
    afterJoin: summarize(afterJoin),
    jobToGreeting: summarize(jobToGreeting),
    failures,
  };
}
