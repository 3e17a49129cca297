import { agentLogRecords } from './agent-log.js';
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
   * The agent's side: the worker receives the job (or, in a standby room, the job is told the
   * room is taken) → the job's greeting begins playing (the agent's state turns to speaking),
   * from the agent's log.
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

/**
 * Per room, milliseconds from the worker receiving the job (LiveKit's dispatch reaching it), or
 * from a standby room's claim (its job received long before), to the job's greeting playing,
 * both from the agent's log (one clock: the machine's).
 */
async function dispatchToGreeting(logFile: string): Promise<Map<string, number>> {
  const received = new Map<string, number>();
  const byRoom = new Map<string, number>();
  for (const entry of await agentLogRecords(logFile)) {
    const { jobId, room, time } = entry;
    if (typeof jobId !== 'string' || time === undefined) continue;
    if (entry.msg === 'received job request' || entry.msg === 'standby room taken') {
      received.set(jobId, time);
    }
    const start = received.get(jobId);
    if (entry.msg === 'greeting playing' && typeof room === 'string' && start !== undefined) {
      byRoom.set(room, time - start);
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
