import type { Persona } from '@parley/contracts';
import type { KnowledgeMatcher } from '../knowledge/knowledge-matcher.js';

/** The part of a persona the scripted responder reads. */
export type ScriptedPersona = Pick<
  Persona,
  | 'greeting'
  | 'fallback'
  | 'knowledge'
  | 'escalation'
  | 'handoffs'
  | 'webhookTools'
  | 'clientTools'
  | 'businessHours'
  | 'disclosure'
>;

/** What the responder knows when it answers one turn. */
export interface DialogueContext {
  persona: ScriptedPersona;
  /** Names of the tools the agent offers this turn. */
  tools: ReadonlySet<string>;
  /** The conversation's "now", for dates the caller says ("tomorrow at ten"). */
  now: Date;
  matcher: KnowledgeMatcher;
}

/** What the caller told us about themselves, kept for every later flow. */
export interface CallerProfile {
  name?: string;
  email?: string;
  phone?: string;
}

export interface ToolCallRequest {
  name: string;
  args: Record<string, unknown>;
}

/** How the responder chose a reply; recorded on each stream for logs and tests. */
export type ScriptedDecision =
  | { kind: 'greeting' | 'fallback' | 'disclosure' | 'goodbye' | 'cancel' | 'opt_out' }
  | { kind: 'knowledge'; index: number; score: number }
  | { kind: 'escalation' | 'handoff' | 'tool'; tool?: string }
  | { kind: 'lead' | 'booking' | 'callback'; step: string }
  | { kind: 'tool_result'; tool: string; isError: boolean };

/** One reply: words to say, then optionally one tool to call. */
export interface Turn {
  say: string;
  call?: ToolCallRequest;
  decision: ScriptedDecision;
}

/** The outcome of one caller turn inside a flow (lead capture, booking, a call back). */
export interface FlowResult<F> {
  /** The flow's next state; `undefined` when it is over. */
  flow: F | undefined;
  profile: CallerProfile;
  turn: Turn;
}

/** A reply made of sentences, skipping empty ones. */
export const sentences = (...parts: (string | undefined)[]) =>
  parts
    .filter((p): p is string => Boolean(p?.trim()))
    .map((p) => p.trim())
    .join(' ');
