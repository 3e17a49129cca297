import { llm } from '@livekit/agents';
import type { z } from 'zod';

/**
 * A built-in tool's arguments: the JSON Schema the model is shown, made from the contract's zod
 * schema the way LiveKit shows OpenAI-style models any zod schema, and the validation of what
 * the model sends. That rendering marks every field required and the optional ones nullable, so
 * models send `"email": null` for what the caller did not give; the contract schemas (shared
 * with the server and the scripted responder) say optional, and would refuse the whole call.
 * So a null counts as left out, and only then are the arguments checked.
 */
export interface ModelArguments<T extends z.ZodTypeAny> {
  /** JSON Schema of the arguments, as the model is shown it. */
  parameters: Record<string, unknown>;
  parse(args: unknown): z.output<T>;
}

export function modelArguments<T extends z.ZodTypeAny>(tool: string, schema: T): ModelArguments<T> {
  const parameters: Record<string, unknown> = { ...llm.toJsonSchema(schema, true) };
  delete parameters.$schema; // a draft marker, not part of a tool's parameters
  return {
    parameters,
    /** The arguments the model sent, validated; the model hears what was wrong with them. */
    parse(args: unknown): z.output<T> {
      const parsed = schema.safeParse(withoutNulls(args));
      if (parsed.success) return parsed.data;
      const issues = parsed.error.issues.map((issue) =>
        issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
      );
      throw new llm.ToolError(`Invalid arguments for ${tool}: ${issues.join('; ')}`);
    },
  };
}

function withoutNulls(args: unknown): unknown {
  if (typeof args !== 'object' || args === null || Array.isArray(args)) return args;
  return Object.fromEntries(Object.entries(args).filter(([, value]) => value !== null));
}
