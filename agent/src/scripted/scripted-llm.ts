import { type APIConnectOptions, DEFAULT_API_CONNECT_OPTIONS, llm } from '@livekit/agents';
import type { Persona } from '@parley/server/contracts';
import { randomUUID } from 'node:crypto';
import { KnowledgeMatcher, type KnowledgeMatch } from './knowledge-matcher.js';

/** The part of a persona the scripted responder reads. */
export type ScriptedPersona = Pick<Persona, 'greeting' | 'fallback' | 'knowledge'>;

/** How the responder chose a reply; recorded on each stream for logs and tests. */
export type ScriptedDecision =
  { kind: 'greeting' } | { kind: 'knowledge'; index: number; score: number } | { kind: 'fallback' };

/**
 * A deterministic responder behind the LLM interface, for running without any model: it answers
 * with the persona's knowledge entry that best matches the caller's last message, or with the
 * persona's fallback line. It is not a language model, and says so in its label.
 */
export class ScriptedResponder extends llm.LLM {
  readonly persona: ScriptedPersona;
  readonly matcher: KnowledgeMatcher;

  constructor(persona: ScriptedPersona) {
    super();
    this.persona = persona;
    this.matcher = new KnowledgeMatcher(persona.knowledge);
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

  /** The reply to a chat context, without streaming. */
  decide(chatCtx: llm.ChatContext): { reply: string; decision: ScriptedDecision } {
    const lastUser = [...chatCtx.items]
      .reverse()
      .find((item): item is llm.ChatMessage => item.type === 'message' && item.role === 'user');
    if (!lastUser) return { reply: this.persona.greeting, decision: { kind: 'greeting' } };
    const match: KnowledgeMatch | undefined = this.matcher.match(lastUser.textContent ?? '');
    if (!match) return { reply: this.persona.fallback, decision: { kind: 'fallback' } };
    return {
      reply: match.entry.answer,
      decision: { kind: 'knowledge', index: match.index, score: match.score },
    };
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
    const { reply, decision } = this.#responder.decide(this.chatCtx);
    this.decision = decision;
    this.logger.debug({ decision }, 'scripted reply chosen');
    const id = `scripted-${randomUUID()}`;
    // Word by word, like a model would, so sentence-streaming TTS starts on the first sentence.
    for (const piece of reply.match(/\S+\s*/g) ?? []) {
      if (this.abortController.signal.aborted || this.queue.closed) return;
      this.queue.put({ id, delta: { role: 'assistant', content: piece } });
    }
  }
}
