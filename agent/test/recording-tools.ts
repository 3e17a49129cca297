/**
 * Test stand-ins for the built-in tools: the real argument schemas from the contracts, an
 * `execute` that records each call and answers like the real tool does (`agent/src/tools`), so
 * the scripted responder can be driven through a real AgentSession without the server.
 */
import { llm } from '@livekit/agents';
import {
  type BookAppointmentArgs,
  BookAppointmentArgsSchema,
  CaptureLeadArgsSchema,
  EndCallArgsSchema,
  HANDOFF_TOOL,
  HandoffArgsSchema,
  LookupKnowledgeArgsSchema,
  OPT_OUT_TOOL,
  OptOutArgsSchema,
  type ScheduleCallbackArgs,
  ScheduleCallbackArgsSchema,
  TransferArgsSchema,
} from '@parley/contracts';
import type { z } from 'zod';

export interface RecordedCall {
  name: string;
  args: unknown;
}

export interface RecordingToolsOptions {
  /** How `book_appointment` answers; throw `llm.ToolError` to refuse. Default: booked. */
  book(args: BookAppointmentArgs): string;
  /** How `schedule_callback` answers; throw `llm.ToolError` to refuse. Default: at the time asked. */
  callback(args: ScheduleCallbackArgs): unknown;
}

const defaults: RecordingToolsOptions = {
  book: () => 'Booked.',
  callback: (args) => ({
    scheduledFor: new Date(args.at).toISOString(),
    movedIntoCallingHours: false,
    message: 'Scheduled.',
  }),
};

/** What the real end_call answers the model. */
export const END_CALL_ANSWER = 'The call ends after your reply: say a short goodbye, nothing else.';

export function recordingTools(opts: Partial<RecordingToolsOptions> = {}) {
  const { book, callback } = { ...defaults, ...opts };
  const calls: RecordedCall[] = [];
  const recording = <S extends z.AnyZodObject>(
    name: string,
    parameters: S,
    answer: (args: z.infer<S>) => unknown,
  ) =>
    llm.tool({
      name,
      description: `Test stand-in for ${name}.`,
      parameters,
      execute: async (args: z.infer<S>) => {
        calls.push({ name, args });
        return answer(args);
      },
    });
  const tools = [
    recording('end_call', EndCallArgsSchema, () => END_CALL_ANSWER),
    // The real transfer tool speaks for itself and returns nothing, so the model says nothing.
    recording('transfer_to_human', TransferArgsSchema, () => undefined),
    recording('capture_lead', CaptureLeadArgsSchema, () => ({
      stored: true,
      temperature: 'hot',
    })),
    recording('book_appointment', BookAppointmentArgsSchema, book),
    recording('lookup_knowledge', LookupKnowledgeArgsSchema, () => 'nothing'),
    recording(HANDOFF_TOOL, HandoffArgsSchema, () => 'Handing over.'),
    // The real opt-out tool says the persona's line itself and returns nothing.
    recording(OPT_OUT_TOOL, OptOutArgsSchema, () => undefined),
    recording('schedule_callback', ScheduleCallbackArgsSchema, callback),
  ];
  return { tools, calls };
}
