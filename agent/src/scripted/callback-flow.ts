/**
 * Call backs: a caller who asks to be called back ("call me back tomorrow at three") gets one at
 * the time they said, read as bookings read times, in the business time zone; without a time
 * they are asked for one. The server moves a time outside the calling hours to the next ones,
 * and the reply says when the call will come.
 */
import { instantOf, isoInZone, parseWhen, spokenTime } from './appointment-time.js';
import type { CallerProfile, FlowResult, Turn } from './dialogue-context.js';
import { sentences } from './dialogue-context.js';
import { isoInstants, parseToolOutput } from './tool-output.js';

export const SCHEDULE_CALLBACK_TOOL = 'schedule_callback';

/** Asking when to call back, or waiting for `schedule_callback` to answer. */
export type CallbackFlow =
  | { kind: 'callback'; step: 'when'; retried: boolean }
  | { kind: 'callback'; step: 'scheduling'; timeGiven: boolean };

export interface CallbackContext {
  timeZone: string;
  now: Date;
}

type Result = FlowResult<CallbackFlow>;

const ASK_WHEN = 'When would you like us to call you back?';
const ANYTHING_ELSE = 'Is there anything else I can help you with?';

const turn = (say: string, step: string, call?: Turn['call']): Turn => ({
  say,
  ...(call ? { call } : {}),
  decision: { kind: 'callback', step },
});

/**
 * Calls `schedule_callback` for the time `text` names, if it names one: a clock time, else the
 * hour of a part of the day ("friday morning"), else the day itself (the server moves it to that
 * day's calling hours); a time that has just passed means now.
 */
function scheduled(ctx: CallbackContext, profile: CallerProfile, text: string): Result | undefined {
  const when = parseWhen(text, ctx.now, ctx.timeZone);
  if (!when) return undefined;
  const time = when.time ?? when.partOfDay;
  const at = Math.max(instantOf(when.day, time, ctx.timeZone).getTime(), ctx.now.getTime());
  const args = { at: isoInZone(new Date(at), ctx.timeZone) };
  return {
    flow: { kind: 'callback', step: 'scheduling', timeGiven: time !== undefined },
    profile,
    turn: turn('', 'schedule', { name: SCHEDULE_CALLBACK_TOOL, args }),
  };
}

/** Starts a call back; a time in the request itself ("call me back at five") is used. */
export function startCallback(ctx: CallbackContext, profile: CallerProfile, text: string): Result {
  return (
    scheduled(ctx, profile, text) ?? {
      flow: { kind: 'callback', step: 'when', retried: false },
      profile,
      turn: turn(sentences('Sure.', ASK_WHEN), 'ask_when'),
    }
  );
}

/** Takes the caller's answer to when they would like the call; asks once more, then lets it go. */
export function answerCallback(
  ctx: CallbackContext,
  flow: Extract<CallbackFlow, { step: 'when' }>,
  profile: CallerProfile,
  text: string,
): Result {
  const call = scheduled(ctx, profile, text);
  if (call) return call;
  if (flow.retried) {
    const say = sentences("Sorry, I still didn't catch a time for the call.", ANYTHING_ELSE);
    return { flow: undefined, profile, turn: turn(say, 'gave_up') };
  }
  const say = "Sorry, I didn't catch when. You could say, for example, tomorrow at 10 AM.";
  return { flow: { ...flow, retried: true }, profile, turn: turn(say, 'reask_when') };
}

/** The question the flow is waiting on, to repeat it after an aside. */
export function callbackQuestion(flow: CallbackFlow): string | undefined {
  return flow.step === 'when' ? ASK_WHEN : undefined;
}

/**
 * The reply once `schedule_callback` has answered: when the call will come (and, when the caller
 * named a time outside the calling hours, that it moved), or that none could be scheduled.
 */
export function callbackDone(
  ctx: CallbackContext,
  flow: Extract<CallbackFlow, { step: 'scheduling' }>,
  profile: CallerProfile,
  output: { text: string; isError: boolean },
): Result {
  const decision = { kind: 'tool_result' as const, tool: SCHEDULE_CALLBACK_TOOL };
  const result = parseToolOutput(output.text);
  const at = isoInstants(output.text)[0];
  if (output.isError || !at) {
    const say = sentences("I'm sorry, I couldn't schedule a call back just now.", ANYTHING_ELSE);
    return { flow: undefined, profile, turn: { say, decision: { ...decision, isError: true } } };
  }
  const when = spokenTime(at, ctx.timeZone);
  const moved =
    flow.timeGiven &&
    typeof result === 'object' &&
    result !== null &&
    'movedIntoCallingHours' in result &&
    result.movedIntoCallingHours === true;
  const say = sentences(
    moved
      ? `That's outside our calling hours, so we'll call you back on ${when}.`
      : `We'll call you back on ${when}.`,
    ANYTHING_ELSE,
  );
  return { flow: undefined, profile, turn: { say, decision: { ...decision, isError: false } } };
}
