/**
 * One simulated caller slot of the load run: calls, greets, asks a few questions with pauses in
 * between, hangs up, and calls again until the run is over. Everything it experiences goes into
 * its call logs, including failures (which never stop the slot).
 */
import { VoiceSession, VoiceSessionError, type UtteranceBank } from '../support/voice-session.js';

export interface Question {
  text: string;
  /** The persona's answer to it. */
  answer: string;
}

/** A turn as the visitor lived it. */
export interface TurnLog {
  question: string;
  /** Wall-clock time the visitor started speaking (ISO), to find the turn in the stack's logs. */
  at: string;
  answered: boolean;
  v2vMs?: number;
  /** What the visitor heard transcribed (as far as the transcript had arrived). */
  replyText?: string;
  error?: string;
}

/** A call as the visitor lived it. */
export interface CallLog {
  slot: number;
  /** Whether this is the slot that keeps one call open for the whole run. */
  long: boolean;
  startedAt: string;
  roomName?: string;
  greetingMs?: number;
  turns: TurnLog[];
  endedAt?: string;
  /** Why the call ended before the visitor hung up (the agent left, the room ended). */
  dropped?: string;
  /** A failure that ended the call early: no session, no greeting, no reply. */
  error?: { code: string; message: string };
}

export interface CallerPlan {
  personaId: string;
  questions: readonly Question[];
  utterances: UtteranceBank;
  /** Turns per call, inclusive (ignored by the long call, which talks until the end). */
  turns: { min: number; max: number };
  /** Pause before each question (the visitor listens, thinks), seconds. */
  pauseS: { min: number; max: number };
  /** Pause between hanging up and calling again, seconds. */
  redialS: { min: number; max: number };
  greetingTimeoutMs: number;
  replyTimeoutMs: number;
}

export interface CallerContext {
  stack: { url: string };
  plan: CallerPlan;
  random: () => number;
  /** True once no new call or turn should start. */
  stopping: () => boolean;
  /** Receives each call when it starts (and is then filled in as it goes). */
  onCall: (call: CallLog) => void;
  /** Called once a call is in its room, e.g. to watch its job process. */
  onJoined?: (call: CallLog) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function between(random: () => number, range: { min: number; max: number }): number {
  return range.min + random() * (range.max - range.min);
}

function errorOf(error: unknown): { code: string; message: string } {
  if (error instanceof VoiceSessionError) return { code: error.code, message: error.message };
  return { code: 'error', message: error instanceof Error ? error.message : String(error) };
}

/** One call: greeting, `turns` questions (or until stopping, for the long call), hang-up. */
async function oneCall(ctx: CallerContext, call: CallLog, turns: number): Promise<void> {
  const { plan, random } = ctx;
  let session: VoiceSession | undefined;
  try {
    session = await VoiceSession.open(ctx.stack, plan.personaId);
    call.roomName = session.roomName;
    ctx.onJoined?.(call);
    await session.waitForGreeting(plan.greetingTimeoutMs);
    call.greetingMs = session.greetingMs;
    for (let i = 0; i < turns && !ctx.stopping(); i++) {
      await sleep(between(random, plan.pauseS) * 1000);
      const question = plan.questions[Math.floor(random() * plan.questions.length)] as Question;
      const speech = await plan.utterances.get(question.text);
      const turn: TurnLog = {
        question: question.text,
        at: new Date().toISOString(),
        answered: false,
      };
      call.turns.push(turn);
      try {
        const sample = await session.turn(speech, { replyTimeoutMs: plan.replyTimeoutMs });
        Object.assign(turn, { answered: true, v2vMs: sample.v2vMs, replyText: sample.replyText });
      } catch (error) {
        turn.error = errorOf(error).message;
        throw error;
      }
    }
  } catch (error) {
    call.error = errorOf(error);
  } finally {
    call.dropped = session?.droppedReason;
    await session?.close();
    call.endedAt = new Date().toISOString();
  }
}

/**
 * Calls again and again until the run stops. The long slot's call lasts until the run stops
 * (a new one starts should it fail).
 */
export async function runCaller(ctx: CallerContext, slot: number, long: boolean): Promise<void> {
  while (!ctx.stopping()) {
    const call: CallLog = { slot, long, startedAt: new Date().toISOString(), turns: [] };
    ctx.onCall(call);
    const { min, max } = ctx.plan.turns;
    const turns = long ? Infinity : min + Math.floor(ctx.random() * (max - min + 1));
    await oneCall(ctx, call, turns);
    await sleep(between(ctx.random, ctx.plan.redialS) * 1000);
  }
}
