/**
 * What the OpenAI fake answers. Tests can queue exact replies; otherwise a small deterministic
 * rule set stands in for a model, reading the same prompt a real model would get:
 * 1. the last message is a tool result → "Here is what I found: <result>";
 * 2. tools are offered and the caller's last message contains every word of a tool's name
 *    ("check the status of my order" → `check_order_status`) → a call to that tool, its required
 *    arguments filled from the message (strings: the message, or its first number for names
 *    ending in `id`; numbers: its first number, else 1; booleans: true; enums: the first value);
 * 3. the system prompt holds knowledge (`Q:`/`A:` lines, see persona-instructions.ts) → the
 *    answer of the best matching question (the scripted responder's matcher);
 * 4. the system prompt gives a line for when nothing matches → that line;
 * 5. otherwise "You said: <message>." (or a greeting when the caller has not spoken).
 */
import { z } from 'zod';
import { knowledgeFromInstructions, KnowledgeMatcher, splitWords } from '@parley/agent';

const ContentSchema = z
  .union([
    z.string(),
    z.array(z.object({ type: z.string(), text: z.string().optional() }).passthrough()),
  ])
  .nullable()
  .optional();

export const ChatRequestSchema = z
  .object({
    model: z.string().min(1),
    messages: z
      .array(
        z
          .object({
            role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']),
            content: ContentSchema,
            tool_call_id: z.string().optional(),
          })
          .passthrough(),
      )
      .min(1),
    stream: z.boolean().optional(),
    stream_options: z.object({ include_usage: z.boolean().optional() }).nullable().optional(),
    tools: z
      .array(
        z.object({
          type: z.literal('function'),
          function: z.object({
            name: z.string().min(1),
            description: z.string().optional(),
            parameters: z.record(z.unknown()).optional(),
          }),
        }),
      )
      .optional(),
  })
  .passthrough();
export type ChatRequest = z.infer<typeof ChatRequestSchema>;

export interface ScriptedToolCall {
  name: string;
  arguments: Record<string, unknown>;
}

/** One reply of the fake model: text, tool calls, or both. */
export interface ScriptedReply {
  content?: string;
  toolCalls?: ScriptedToolCall[];
}

export function textOf(content: z.infer<typeof ContentSchema>): string {
  if (typeof content === 'string') return content;
  return (content ?? []).map((part) => part.text ?? '').join('');
}

const FALLBACK_LINE = /When the facts do not answer the caller, say: "([^"]*)"/;

/** The reply the rule set above gives to a request. */
export function defaultReply(request: ChatRequest): ScriptedReply {
  const last = request.messages[request.messages.length - 1];
  if (last?.role === 'tool') return { content: `Here is what I found: ${textOf(last.content)}` };
  const user = [...request.messages].reverse().find((m) => m.role === 'user');
  if (!user) return { content: 'Hello! How can I help?' };
  const said = textOf(user.content).trim();

  const words = new Set(splitWords(said));
  const tool = request.tools?.find((t) =>
    t.function.name.split(/[_\-\s]+/).every((part) => words.has(part.toLowerCase())),
  );
  if (tool) {
    return {
      toolCalls: [
        { name: tool.function.name, arguments: argumentsFor(tool.function.parameters, said) },
      ],
    };
  }

  const system = request.messages
    .filter((m) => m.role === 'system' || m.role === 'developer')
    .map((m) => textOf(m.content))
    .join('\n');
  const knowledge = knowledgeFromInstructions(system);
  const match = knowledge.length ? new KnowledgeMatcher(knowledge).match(said) : undefined;
  if (match) return { content: match.entry.answer };
  const fallback = FALLBACK_LINE.exec(system)?.[1];
  if (fallback) return { content: fallback };
  return { content: `You said: ${said.replace(/[.!?]+$/, '')}.` };
}

const PropertySchema = z
  .object({
    type: z.union([z.string(), z.array(z.string())]).optional(),
    enum: z.array(z.unknown()).optional(),
  })
  .passthrough();

/** Arguments for a tool's JSON schema: every required property gets a value from `said`. */
export function argumentsFor(
  parameters: Record<string, unknown> | undefined,
  said: string,
): Record<string, unknown> {
  const properties = z.record(PropertySchema).safeParse(parameters?.properties);
  const required = z.array(z.string()).safeParse(parameters?.required);
  if (!properties.success || !required.success) return {};
  const args: Record<string, unknown> = {};
  for (const name of required.data) {
    const schema = properties.data[name];
    if (!schema) continue;
    const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
    const number = /-?\d+(\.\d+)?/.exec(said)?.[0];
    if (schema.enum?.length) args[name] = schema.enum[0];
    else if (type === 'integer') args[name] = number ? Math.trunc(Number(number)) : 1;
    else if (type === 'number') args[name] = number ? Number(number) : 1;
    else if (type === 'boolean') args[name] = true;
    else if (type === 'string')
      args[name] = name.toLowerCase().endsWith('id') && number ? number : said;
    else args[name] = null;
  }
  return args;
}
