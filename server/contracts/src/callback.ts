/**
 * A call back a caller asks for during a call (the agent's `schedule_callback` tool): what the
 * agent sends the server, and what it answers.
 */
import { z } from 'zod';
import { DateTimeSchema } from './call.js';
import { ScheduledCallSchema } from './campaign.js';

/** The variable a call back carries what the caller wanted, for its persona's `{{placeholders}}`. */
export const CALLBACK_CONTEXT_VARIABLE = 'callback_context';

/** Body of `POST /internal/calls/:id/callbacks`; the number called back is the call's own. */
export const ScheduleCallbackRequestSchema = z.object({
  /** The time the caller asked for; moved into the persona's calling hours when outside. */
  at: DateTimeSchema,
  /** What the call back is about (the caller's words so far), as `callback_context`. */
  context: z.string().max(1000).optional(),
});
export type ScheduleCallbackRequest = z.infer<typeof ScheduleCallbackRequestSchema>;

/** Answer of `POST /internal/calls/:id/callbacks`. */
export const ScheduledCallbackSchema = z.object({
  scheduledCall: ScheduledCallSchema,
  /** The time asked for was outside the calling hours: `scheduledCall.at` is the next inside. */
  movedIntoCallingHours: z.boolean(),
});
export type ScheduledCallback = z.infer<typeof ScheduledCallbackSchema>;
