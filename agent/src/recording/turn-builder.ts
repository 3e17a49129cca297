import type { llm, voice } from '@livekit/agents';
import type { TurnInput } from '@parley/contracts';
import { z } from 'zod';

type ToolCallInput = NonNullable<TurnInput['toolCalls']>[number];

/** The server keeps texts up to this length; longer ones would make it refuse the turn. */
const MAX_TEXT = 10_000;
const MAX_TOOL_NAME = 64;
const MAX_TOOL_ERROR = 2_000;
const MAX_TOOL_CALLS = 50;
const MAX_DTMF = 64;
const DTMF_KEYS = /^[0-9*#A-D]+$/;
/** A caller message typed on the keypad carries its keys in `extra` under this name. */
export const DTMF_EXTRA = 'dtmf';
/** Serialised size kept of one tool call's arguments or result (the server takes 64 kB bodies). */
const MAX_TOOL_JSON = 4_000;

/** Which LiveKit `MetricsReport` field (seconds) becomes which turn timing (milliseconds). */
const USER_TIMINGS = {
  endOfTurnDelay: 'endOfTurnMs',
  transcriptionDelay: 'transcriptionMs',
} as const satisfies Partial<Record<keyof llm.MetricsReport, string>>;
const AGENT_TIMINGS = {
  llmNodeTtft: 'llmFirstTokenMs',
  ttsNodeTtfb: 'ttsFirstByteMs',
  e2eLatency: 'e2eMs',
} as const satisfies Partial<Record<keyof llm.MetricsReport, string>>;

const JsonObjectSchema = z.record(z.unknown());

/**
 * Turns an `AgentSession`'s conversation events into call-record turns. A turn completes when
 * the agent's message is added (LiveKit adds it once the reply has played out, or was cut
 * off): it carries the caller's messages since the previous turn, the tools executed in
 * between, whether the reply was interrupted, and the turn's latencies in milliseconds — the
 * caller's `endOfTurnMs` and `transcriptionMs`, the agent's `llmFirstTokenMs`,
 * `ttsFirstByteMs` and `e2eMs`, and the keypad keys of messages a phone caller typed (`dtmf`). The greeting (an agent message with no caller text) is a turn
 * too. Pure: feed it events, it answers the turns they complete.
 */
export class TurnBuilder {
  #userMessages: llm.ChatMessage[] = [];
  #toolCalls: ToolCallInput[] = [];

  /** Feeds `ConversationItemAdded`; answers the turn an agent message completes. */
  onConversationItem(event: voice.ConversationItemAddedEvent): TurnInput | undefined {
    const item = event.item;
    if (item.type !== 'message') return undefined;
    if (item.role === 'user') {
      this.#userMessages.push(item);
      return undefined;
    }
    if (item.role !== 'assistant') return undefined;
    return this.#complete(item);
  }

  /** Feeds `FunctionToolsExecuted`; the calls join the turn the next agent message completes. */
  onFunctionToolsExecuted(event: voice.FunctionToolsExecutedEvent): void {
    event.functionCalls.forEach((call, index) => {
      if (this.#toolCalls.length >= MAX_TOOL_CALLS) return;
      this.#toolCalls.push(toToolCall(call, event.functionCallOutputs[index]));
    });
  }

  /** True while caller text or tool calls wait for an agent message. */
  get pending(): boolean {
    return this.#userMessages.length > 0 || this.#toolCalls.length > 0;
  }

  /** At the end of the call: what the caller said (or tools did) that got no reply, if any. */
  flush(): TurnInput | undefined {
    return this.pending ? this.#complete(undefined) : undefined;
  }

  #complete(agent: llm.ChatMessage | undefined): TurnInput {
    const users = this.#userMessages;
    const lastUser = users.at(-1);
    const userText = users
      .map((m) => m.textContent?.trim() ?? '')
      .filter(Boolean)
      .join(' ');
    const agentText = agent?.textContent?.trim();
    const dtmf = users.map((m) => keysOf(m)).join('');
    const turn: TurnInput = {
      userText: userText ? clip(userText, MAX_TEXT) : undefined,
      agentText: agentText ? clip(agentText, MAX_TEXT) : undefined,
      interrupted: agent?.interrupted ?? false,
      timings: {
        ...(lastUser ? timings(lastUser.metrics, USER_TIMINGS) : {}),
        ...(agent ? timings(agent.metrics, AGENT_TIMINGS) : {}),
      },
      toolCalls: this.#toolCalls,
      ...(dtmf ? { dtmf: dtmf.slice(0, MAX_DTMF) } : {}),
    };
    this.#userMessages = [];
    this.#toolCalls = [];
    return turn;
  }
}

/**
 * Logs, for each reply, the two moments LiveKit's `e2eLatency` spans, as wall-clock epoch
 * milliseconds: `callerStoppedAt`, where the VAD placed the end of the caller's speech, and
 * `agentStartedAt`, when the reply's first audio frame went to the room. A client on the same
 * clock (the benchmark's page) splits what it measures beyond the agent's span into the way in
 * (its end of speech → `callerStoppedAt`) and the way out (`agentStartedAt` → heard).
 */
export class TurnMoments {
  #callerStoppedAt: number | undefined;

  constructor(readonly logger: { info(obj: object, msg: string): void }) {}

  onConversationItem(event: voice.ConversationItemAddedEvent): void {
    const item = event.item;
    if (item.type !== 'message') return;
    const { stoppedSpeakingAt, startedSpeakingAt } = item.metrics;
    if (item.role === 'user') {
      if (stoppedSpeakingAt !== undefined) this.#callerStoppedAt = stoppedSpeakingAt * 1000;
      return;
    }
    if (item.role !== 'assistant' || startedSpeakingAt === undefined) return;
    const callerStoppedAt = this.#callerStoppedAt;
    this.#callerStoppedAt = undefined;
    if (callerStoppedAt === undefined) return;
    this.logger.info(
      {
        callerStoppedAt: Math.round(callerStoppedAt),
        agentStartedAt: Math.round(startedSpeakingAt * 1000),
      },
      'turn moments',
    );
  }
}

/** The keypad keys a phone caller's message stands for (`extra.dtmf`, see src/phone). */
function keysOf(message: llm.ChatMessage): string {
  const keys = message.extra[DTMF_EXTRA];
  return typeof keys === 'string' && DTMF_KEYS.test(keys) ? keys : '';
}

function timings(
  report: llm.MetricsReport,
  names: Partial<Record<keyof llm.MetricsReport, string>>,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [field, name] of Object.entries(names)) {
    const seconds = report[field as keyof llm.MetricsReport];
    // Negative spans happen (the agent started before the caller's speech was marked over);
    // they are not latencies and the server refuses them.
    if (typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0) {
      out[name] = Math.round(seconds * 1000);
    }
  }
  return out;
}

function toToolCall(call: llm.FunctionCall, output: llm.FunctionCallOutput | undefined) {
  const toolCall: ToolCallInput = {
    name: clip(call.name || 'unknown', MAX_TOOL_NAME),
    args: toArgs(call.args),
  };
  if (output?.isError) toolCall.error = clip(output.output || 'error', MAX_TOOL_ERROR);
  else if (output) toolCall.result = capped(parseJson(output.output) ?? output.output);
  return toolCall;
}

/** Tool arguments arrive as a JSON string; the record wants an object. */
function toArgs(raw: string): Record<string, unknown> {
  const parsed = parseJson(raw);
  const object = JsonObjectSchema.safeParse(parsed);
  const args = object.success && !Array.isArray(parsed) ? object.data : { value: parsed ?? raw };
  const kept = capped(args);
  return typeof kept === 'string' ? { truncated: kept } : args;
}

/** The value itself, or a clipped serialisation of it when it is too big to keep. */
function capped(value: unknown): unknown {
  const json = JSON.stringify(value) ?? '';
  return json.length <= MAX_TOOL_JSON ? value : `${json.slice(0, MAX_TOOL_JSON)}…`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max);
}
