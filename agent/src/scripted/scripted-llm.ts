import { type APIConnectOptions, DEFAULT_API_CONNECT_OPTIONS, llm } from '@livekit/agents';
import { randomUUID } from 'node:crypto';
import type { ScriptedDecision, ScriptedPersona, Turn } from './dialogue-context.js';
import { conversationEvents, respond } from './dialogue.js';
import { KnowledgeMatcher } from '../knowledge/knowledge-matcher.js';

export type { ScriptedDecision, ScriptedPersona } from './dialogue-context.js';

export interface ScriptedResponderOptions {
  /** The conversation's clock (epoch ms): "tomorrow at ten" is read relative to it. */
  now: () => number;
}

const defaults: ScriptedResponderOptions = { now: Date.now };

/**
 * A deterministic responder behind the LLM interface, for running without any model. From the
 * conversation so far it answers the persona's knowledge, fills lead and booking forms, calls
 * the persona's tools (escalation, handoffs, webhook and client tools, ending the call) and
 * speaks their results, or says the persona's fallback line. It is not a language model, and
 * says so in its label.
 */
export class ScriptedResponder extends llm.LLM {
  readonly persona: ScriptedPersona;
  readonly matcher: KnowledgeMatcher;
  readonly options: ScriptedResponderOptions;

  constructor(persona: ScriptedPersona, opts: Partial<ScriptedResponderOptions> = {}) {
    super();
    this.persona = persona;
    this.matcher = new KnowledgeMatcher(persona.knowledge);
    this.options = { ...defaults, ...opts };
  }

  label(): string {
    return 'parley.scripted';
  }

  override get model(): string {
    return 'scripted (not an LLM)';
  }

  override get provider(): string {
    return 'parley-scripted';
  }

  /** The reply to a chat context with the given tools on offer, without streaming. */
  decide(chatCtx: llm.ChatContext, toolCtx?: llm.ToolContextLike): Turn {
    const offered = llm.toToolContext(toolCtx)?.functionTools ?? {};
    return respond(
      {
        persona: this.persona,
        tools: new Set(Object.keys(offered)),
        now: new Date(this.options.now()),
        matcher: this.matcher,
      },
      conversationEvents(chatCtx.items),
    );
  }

  chat({
    chatCtx,
    toolCtx,
    connOptions = DEFAULT_API_CONNECT_OPTIONS,
  }: {
    chatCtx: llm.ChatContext;
    toolCtx?: llm.ToolContextLike;
    connOptions?: APIConnectOptions;
    parallelToolCalls?: boolean;
    toolChoice?: llm.ToolChoice;
    extraKwargs?: Record<string, unknown>;
  }): ScriptedLLMStream {
    return new ScriptedLLMStream(this, { chatCtx, toolCtx, connOptions });
  }
}

export class ScriptedLLMStream extends llm.LLMStream {
  readonly #responder: ScriptedResponder;
  /** Set once the reply has been chosen. */
  decision?: ScriptedDecision;

  constructor(
    responder: ScriptedResponder,
    options: {
      chatCtx: llm.ChatContext;
      toolCtx?: llm.ToolContextLike;
      connOptions: APIConnectOptions;
    },
  ) {
    super(responder, options);
    this.#responder = responder;
  }

  protected async run(): Promise<void> {
    const { say, call, decision } = this.#responder.decide(this.chatCtx, this.toolCtx);
    this.decision = decision;
    this.logger.debug({ decision, tool: call?.name }, 'scripted reply chosen');
    const id = `scripted-${randomUUID()}`;
    // Word by word, like a model would, so sentence-streaming TTS starts on the first sentence.
    for (const piece of say.match(/\S+\s*/g) ?? []) {
      if (this.abortController.signal.aborted || this.queue.closed) return;
      this.queue.put({ id, delta: { role: 'assistant', content: piece } });
    }
    if (!call || this.abortController.signal.aborted || this.queue.closed) return;
    // One call per turn; numbered by the calls before it, so the same history gives the same id.
    const earlier = this.chatCtx.items.filter((item) => item.type === 'function_call').length;
    const toolCall = llm.FunctionCall.create({
      callId: `scripted_call_${earlier + 1}`,
      name: call.name,
      args: JSON.stringify(call.args),
    });
    this.queue.put({ id, delta: { role: 'assistant', toolCalls: [toolCall] } });
  }
}
