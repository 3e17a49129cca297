import { llm } from '@livekit/agents';
import {
  type Persona,
  ScheduleCallbackArgsSchema,
  type ScheduledCallback,
} from '@parley/contracts';
import { callerWords } from '../conversation/caller-words.js';
import { summarizeCall } from '../recording/index.js';
import { ServerApiError } from '../server-api/server-api-error.js';
import { appointmentTimeZone, spokenDateTime } from './appointment-tool.js';
import { modelArguments } from './model-arguments.js';
import { throwForModel, type ToolApi } from './tool-api.js';

/** What a call back's variable `callback_context` holds at most (`VariablesSchema`). */
const MAX_CONTEXT = 1000;

/** What the model hears when the call has no number to call back (a web visitor's). */
export const NO_NUMBER_TO_CALL_BACK =
  'There is no phone number to call this caller back on. Tell them, and offer another way to ' +
  'reach the team.';

/**
 * What the call back is told of this call, for its persona to say why it calls: the topic the
 * model gave, then the call's summary so far (the caller's requests in their own words).
 */
export function callbackContext(
  topic: string | undefined,
  history: llm.ChatContext,
): string | undefined {
  const turns = callerWords(history).map((userText) => ({ userText }));
  const about = topic?.trim() ? `The caller wants to talk about: ${topic.trim()}.` : undefined;
  const context = [about, summarizeCall(turns)].filter(Boolean).join(' ');
  return context ? context.slice(0, MAX_CONTEXT) : undefined;
}

/**
 * Schedules a call back to the caller's own number (the server reads it from the call record:
 * the model cannot name one) at the time they ask for, in the persona's business time zone. The
 * server moves a time outside the calling hours to the next ones; the result says the time in
 * words, for the caller.
 */
export function scheduleCallbackTool(
  persona: Pick<Persona, 'businessHours' | 'language'>,
  api: ToolApi,
) {
  const timeZone = appointmentTimeZone(persona);
  const callbackArgs = modelArguments('schedule_callback', ScheduleCallbackArgsSchema);
  return llm.tool({
    name: 'schedule_callback',
    description:
      "Schedules a call back to the caller's own phone number (never ask for it) when they ask " +
      `to be called back later. Times are in the ${timeZone} time zone; give at in ISO 8601 ` +
      'with that offset. A time outside calling hours moves to the next ones: tell the caller ' +
      'the time in the result.',
    parameters: callbackArgs.parameters,
    execute: async (sent, { ctx, abortSignal }) => {
      const args = callbackArgs.parse(sent);
      const context = callbackContext(args.topic, ctx.session.history);
      let scheduled: ScheduledCallback;
      try {
        scheduled = await api.scheduleCallback(
          { at: args.at, ...(context && { context }) },
          abortSignal,
        );
      } catch (error) {
        if (error instanceof ServerApiError && error.serverCode === 'no_caller_number') {
          throw new llm.ToolError(NO_NUMBER_TO_CALL_BACK);
        }
        throwForModel(error, 'Scheduling call backs');
      }
      const { scheduledCall, movedIntoCallingHours } = scheduled;
      const when = spokenDateTime(new Date(scheduledCall.at), timeZone, persona.language);
      return {
        scheduledFor: scheduledCall.at,
        movedIntoCallingHours,
        message: movedIntoCallingHours
          ? `That's outside our calling hours, so we'll call you back on ${when}.`
          : `We'll call you back on ${when}.`,
      };
    },
  });
}
