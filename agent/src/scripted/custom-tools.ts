/**
 * The persona's own tools (webhook tools run by the server, client tools run by the visitor's
 * page) for the scripted responder: which one a sentence asks for, by the tool's `phrases`, and
 * its arguments, filled from the sentence where the tool's JSON Schema makes that obvious.
 */
import type { ClientTool, WebhookTool } from '@parley/contracts';
import type { CallerProfile, ScriptedPersona } from './dialogue-context.js';
import { saysAny } from './intents.js';
import { firstNumber } from './number-words.js';
import { parseEmail, parsePhone } from './parsers.js';

type PhraseTool = Pick<WebhookTool | ClientTool, 'name' | 'parameters' | 'phrases'>;

/** The first of the persona's offered tools whose phrases the sentence says. */
export function customToolFor(
  persona: Pick<ScriptedPersona, 'webhookTools' | 'clientTools'>,
  offered: ReadonlySet<string>,
  text: string,
): PhraseTool | undefined {
  return [...persona.webhookTools, ...persona.clientTools].find(
    (tool) => offered.has(tool.name) && saysAny(text, tool.phrases),
  );
}

/** String properties that stand for what the caller said. */
const TEXT_PROPERTY = /(^q$|query|question|text|message|input|search|request|topic|term)/i;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function types(schema: Record<string, unknown>): string[] {
  const { type } = schema;
  if (typeof type === 'string') return [type];
  return Array.isArray(type) ? type.filter((t): t is string => typeof t === 'string') : [];
}

/** The value of one string property, when the sentence or the caller's details hold it. */
function stringValue(
  name: string,
  schema: Record<string, unknown>,
  text: string,
  profile: CallerProfile,
): string | undefined {
  if (Array.isArray(schema.enum)) {
    const lower = text.toLowerCase();
    return schema.enum.find(
      (v): v is string => typeof v === 'string' && lower.includes(v.toLowerCase()),
    );
  }
  if (/e-?mail/i.test(name)) return parseEmail(text) ?? profile.email;
  if (/phone/i.test(name)) return parsePhone(text) ?? profile.phone;
  if (/^(name|full_?name|customer_?name|caller_?name)$/i.test(name)) return profile.name;
  return TEXT_PROPERTY.test(name) ? text.trim() : undefined;
}

/**
 * Arguments for a tool from the caller's sentence: numbers get the sentence's first number,
 * text-like strings ("query", "message"…) the sentence, email/phone/name what the caller said
 * or told us before, enums the value the sentence names. Anything else is left out.
 */
export function argumentsFor(
  tool: PhraseTool,
  text: string,
  profile: CallerProfile,
): Record<string, unknown> {
  const properties = isObject(tool.parameters.properties) ? tool.parameters.properties : {};
  const args: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(properties)) {
    if (!isObject(schema)) continue;
    const kinds = types(schema);
    let value: unknown;
    if (kinds.includes('integer') || kinds.includes('number')) {
      const n = firstNumber(text);
      value = n !== undefined && kinds.includes('integer') ? Math.round(n) : n;
    } else if (kinds.includes('string')) value = stringValue(name, schema, text, profile);
    if (value !== undefined) args[name] = value;
  }
  return args;
}
