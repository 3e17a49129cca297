/**
 * The scripted responder's conversation: a pure function from the conversation so far to the
 * next reply. State (the form being filled, what the caller told us) is rebuilt every turn by
 * replaying the caller's messages and the tools' outputs in order, so the same history always
 * gives the same reply and nothing is lost when another engine answered some turns.
 */
import type { llm } from '@livekit/agents';
import { HANDOFF_TOOL, OPT_OUT_TOOL } from '@parley/contracts';
import {
  answerBooking,
  BOOK_APPOINTMENT_TOOL,
  type BookingContext,
  type BookingFlow,
  bookingDone,
  bookingQuestion,
  startBooking,
} from './booking-flow.js';
import {
  answerCallback,
  type CallbackContext,
  callbackDone,
  type CallbackFlow,
  callbackQuestion,
  SCHEDULE_CALLBACK_TOOL,
  startCallback,
} from './callback-flow.js';
import { argumentsFor, customToolFor } from './custom-tools.js';
import {
  type CallerProfile,
  type DialogueContext,
  type FlowResult,
  sentences,
  type Turn,
} from './dialogue-context.js';
import {
  asksIfAI,
  isCancel,
  isGoodbye,
  said,
  saysAny,
  wantsBooking,
  wantsCallback,
  wantsLead,
  wantsOptOut,
} from './intents.js';
import {
  answerLead,
  CAPTURE_LEAD_TOOL,
  type LeadFlow,
  leadQuestion,
  leadSaved,
  startLead,
} from './lead-flow.js';
import { mentionedName } from './parsers.js';
import { parseToolOutput, renderResult } from './tool-output.js';

export const END_CALL_TOOL = 'end_call';
export const TRANSFER_TOOL = 'transfer_to_human';

/** What happened in the conversation, as far as the responder's state depends on it. */
export type ConversationEvent =
  | { type: 'user'; text: string }
  | { type: 'tool_output'; tool: string; text: string; isError: boolean };

type Flow = LeadFlow | BookingFlow | CallbackFlow;

interface DialogueState {
  profile: CallerProfile;
  flow?: Flow;
}

interface Step {
  state: DialogueState;
  turn: Turn;
}

/** The caller's messages and the tools' outputs of a chat context, in order. */
export function conversationEvents(items: readonly llm.ChatItem[]): ConversationEvent[] {
  const toolNames = new Map<string, string>();
  const events: ConversationEvent[] = [];
  for (const item of items) {
    if (item.type === 'function_call') toolNames.set(item.callId, item.name);
    else if (item.type === 'message' && item.role === 'user') {
      events.push({ type: 'user', text: item.textContent ?? '' });
    } else if (item.type === 'function_call_output') {
      const tool = item.name || toolNames.get(item.callId) || '';
      events.push({ type: 'tool_output', tool, text: item.output, isError: item.isError });
    }
  }
  return events;
}

/** The next reply: to the last event, in the state the events before it built up. */
export function respond(ctx: DialogueContext, events: readonly ConversationEvent[]): Turn {
  let step: Step = {
    state: { profile: {} },
    turn: { say: ctx.persona.greeting, decision: { kind: 'greeting' } },
  };
  for (const event of events) {
    step =
      event.type === 'user'
        ? hear(ctx, step.state, event.text)
        : toolAnswered(ctx, step.state, event);
  }
  return step.turn;
}

function bookingContext(ctx: DialogueContext): BookingContext | undefined {
  const hours = ctx.persona.businessHours;
  return hours && ctx.tools.has(BOOK_APPOINTMENT_TOOL) ? { hours, now: ctx.now } : undefined;
}

/** Call backs are offered (`schedule_callback`), in the business time zone. */
function callbackContext(ctx: DialogueContext): CallbackContext | undefined {
  const timeZone = ctx.persona.businessHours?.timeZone ?? 'UTC';
  return ctx.tools.has(SCHEDULE_CALLBACK_TOOL) ? { timeZone, now: ctx.now } : undefined;
}

const fromFlow = ({ flow, profile, turn }: FlowResult<Flow>): Step => ({
  state: { profile, flow },
  turn,
});

/** Whether the flow has called its tool and waits for the output. */
function awaitsTool(flow: Flow): boolean {
  if (flow.kind === 'lead') return flow.saving !== undefined;
  return flow.kind === 'callback' ? flow.step === 'scheduling' : flow.step === 'confirming';
}

function pendingQuestion(ctx: DialogueContext, flow: Flow): string | undefined {
  if (flow.kind === 'lead') return leadQuestion(flow);
  if (flow.kind === 'callback') return callbackQuestion(flow);
  const booking = bookingContext(ctx);
  return booking && bookingQuestion(booking, flow);
}

/** A question rather than an answer: "what are your hours?", "do you ship abroad?". */
const QUESTION_START = /^(what|when|where|which|who|why|how|do|does|did|are|is|can|could|will)\b/;

function hear(ctx: DialogueContext, state: DialogueState, text: string): Step {
  const name = mentionedName(text);
  const profile = name ? { ...state.profile, name } : state.profile;
  // A flow still waiting for its tool when the caller speaks again never got the answer.
  const flow = state.flow && !awaitsTool(state.flow) ? state.flow : undefined;
  return (
    overriding(ctx, profile, flow, text) ??
    (flow && continued(ctx, profile, flow, text)) ??
    request(ctx, profile, text)
  );
}

/** What the caller may say at any point, inside a form or not. */
function overriding(
  ctx: DialogueContext,
  profile: CallerProfile,
  flow: Flow | undefined,
  text: string,
): Step | undefined {
  const { persona, tools } = ctx;
  if (tools.has(OPT_OUT_TOOL) && wantsOptOut(text)) {
    // Before anything else: a caller's wish not to be called again ends the call.
    const call = { name: OPT_OUT_TOOL, args: {} };
    return { state: { profile }, turn: { say: '', call, decision: { kind: 'opt_out' } } };
  }
  if (flow && isCancel(text)) {
    const say = "No problem, I've cancelled that. Is there anything else I can help you with?";
    return { state: { profile }, turn: { say, decision: { kind: 'cancel' } } };
  }
  if (asksIfAI(text)) {
    // Always honest; then back to the question that was pending, if any.
    const say = sentences(persona.disclosure.line, flow && pendingQuestion(ctx, flow));
    return { state: { profile, flow }, turn: { say, decision: { kind: 'disclosure' } } };
  }
  if (isGoodbye(text)) {
    if (!tools.has(END_CALL_TOOL)) return { state: { profile }, turn: goodbye(profile) };
    const call = { name: END_CALL_TOOL, args: { reason: 'The caller said goodbye.' } };
    return { state: { profile }, turn: { say: '', call, decision: { kind: 'goodbye' } } };
  }
  if (saysAny(text, persona.escalation.phrases)) {
    return { state: { profile }, turn: escalate(ctx, text) };
  }
  return undefined;
}

/** The caller's answer inside a form, or a question aside that the knowledge answers. */
function continued(
  ctx: DialogueContext,
  profile: CallerProfile,
  flow: Flow,
  text: string,
): Step | undefined {
  const question = pendingQuestion(ctx, flow);
  const aside = QUESTION_START.test(said(text)) ? ctx.matcher.match(text) : undefined;
  if (aside && question) {
    const say = sentences(aside.entry.answer, question);
    const decision = { kind: 'knowledge' as const, index: aside.index, score: aside.score };
    return { state: { profile, flow }, turn: { say, decision } };
  }
  if (flow.kind === 'lead') return fromFlow(answerLead(flow, profile, text));
  if (flow.kind === 'callback') {
    const callback = callbackContext(ctx);
    return callback && flow.step === 'when'
      ? fromFlow(answerCallback(callback, flow, profile, text))
      : undefined;
  }
  const booking = bookingContext(ctx);
  return booking && fromFlow(answerBooking(booking, flow, profile, text));
}

/** A new request: a handoff, a persona tool, a call back, booking, lead capture, or a question. */
function request(ctx: DialogueContext, profile: CallerProfile, text: string): Step {
  const { persona, tools } = ctx;
  const handoff = tools.has(HANDOFF_TOOL)
    ? persona.handoffs.find((h) => saysAny(text, h.phrases))
    : undefined;
  if (handoff) {
    const call = { name: HANDOFF_TOOL, args: { personaId: handoff.personaId } };
    return { state: { profile }, turn: { say: '', call, decision: { kind: 'handoff' } } };
  }
  const custom = customToolFor(persona, tools, text);
  if (custom) {
    const call = { name: custom.name, args: argumentsFor(custom, text, profile) };
    const decision = { kind: 'tool' as const, tool: custom.name };
    return { state: { profile }, turn: { say: '', call, decision } };
  }
  const callback = callbackContext(ctx);
  if (callback && wantsCallback(text)) return fromFlow(startCallback(callback, profile, text));
  const booking = bookingContext(ctx);
  if (booking && wantsBooking(text)) return fromFlow(startBooking(booking, profile, text));
  if (tools.has(CAPTURE_LEAD_TOOL) && wantsLead(text)) return fromFlow(startLead(profile));
  return { state: { profile }, turn: answer(ctx, text) };
}

/** A knowledge entry's answer, else the persona's honest fallback line. */
function answer(ctx: DialogueContext, text: string): Turn {
  const match = ctx.matcher.match(text);
  if (!match) return { say: ctx.persona.fallback, decision: { kind: 'fallback' } };
  return {
    say: match.entry.answer,
    decision: { kind: 'knowledge', index: match.index, score: match.score },
  };
}

function goodbye(profile: CallerProfile): Turn {
  const say = `Thank you for calling${profile.name ? `, ${profile.name}` : ''}. Goodbye!`;
  return { say, decision: { kind: 'goodbye' } };
}

/** A person, please: the transfer tool (which announces itself), else the persona's message. */
function escalate(ctx: DialogueContext, text: string): Turn {
  if (!ctx.tools.has(TRANSFER_TOOL)) {
    return { say: ctx.persona.escalation.message, decision: { kind: 'escalation' } };
  }
  const reason = `The caller asked for a person: "${text.trim()}"`.slice(0, 500);
  const call = { name: TRANSFER_TOOL, args: { reason } };
  return { say: '', call, decision: { kind: 'escalation', tool: TRANSFER_TOOL } };
}

function toolAnswered(
  ctx: DialogueContext,
  state: DialogueState,
  output: Extract<ConversationEvent, { type: 'tool_output' }>,
): Step {
  const { flow, profile } = state;
  const { tool, isError } = output;
  if (tool === CAPTURE_LEAD_TOOL && flow?.kind === 'lead' && flow.saving) {
    return fromFlow(leadSaved(flow, profile, output));
  }
  const callback = callbackContext(ctx);
  const scheduling = flow?.kind === 'callback' && flow.step === 'scheduling' ? flow : undefined;
  if (tool === SCHEDULE_CALLBACK_TOOL && scheduling && callback) {
    return fromFlow(callbackDone(callback, scheduling, profile, output));
  }
  const booking = bookingContext(ctx);
  const confirming = flow?.kind === 'booking' && flow.step === 'confirming' ? flow : undefined;
  if (tool === BOOK_APPOINTMENT_TOOL && confirming && booking) {
    return fromFlow(bookingDone(booking, confirming, profile, output));
  }
  const decision = { kind: 'tool_result' as const, tool, isError };
  // end_call hangs up once its reply has played: the reply is the goodbye, whatever it answered.
  if (tool === END_CALL_TOOL) return { state, turn: { ...goodbye(profile), decision } };
  if (tool === OPT_OUT_TOOL) {
    // The tool said the persona's opt-out line and ends the call; a failure is owned up to.
    const say = isError
      ? "I'm sorry, I couldn't take you off our list just now. Please try again in a moment."
      : '';
    return { state, turn: { say, decision } };
  }
  if (tool === TRANSFER_TOOL) {
    const say = isError
      ? "I'm sorry, I couldn't connect you with a person just now. Is there anything else I can help you with?"
      : '';
    return { state, turn: { say, decision } };
  }
  // After a handoff the new persona's agent has the word.
  if (tool === HANDOFF_TOOL && !isError) return { state, turn: { say: '', decision } };
  const say = isError
    ? sentences("Sorry, that didn't work.", output.text)
    : renderResult(parseToolOutput(output.text));
  return { state, turn: { say, decision } };
}
