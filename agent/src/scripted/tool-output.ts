/**
 * Reading what a tool returned, as the chat context holds it: LiveKit Agents stores a tool's
 * return value as JSON text, and a failure (`llm.ToolError`) as its plain message.
 */

/** The tool's return value: parsed JSON, or the text itself when it is not JSON. */
export function parseToolOutput(output: string): unknown {
  try {
    return JSON.parse(output) as unknown;
  } catch {
    return output;
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A string field of an object result, looked up by any of `names`, one level deep as well. */
export function stringField(value: unknown, names: readonly string[]): string | undefined {
  if (!isRecord(value)) return undefined;
  for (const name of names) {
    const field = value[name];
    if (typeof field === 'string' && field.trim()) return field;
    if (typeof field === 'number') return String(field);
  }
  for (const nested of Object.values(value)) {
    const found = isRecord(nested) ? stringField(nested, names) : undefined;
    if (found) return found;
  }
  return undefined;
}

const ISO_INSTANT = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})/g;

/** Every ISO 8601 instant (with an offset) written in `text`, in order, each once. */
export function isoInstants(text: string): Date[] {
  const seen = new Set<number>();
  const out: Date[] = [];
  for (const [iso] of text.matchAll(ISO_INSTANT)) {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime()) || seen.has(date.getTime())) continue;
    seen.add(date.getTime());
    out.push(date);
  }
  return out;
}

/** Fields a result sentence usually sits in. */
const MESSAGE_FIELDS = ['message', 'text', 'answer', 'result', 'summary', 'reply', 'status'];
const MAX_FIELDS = 5;

/** "orderStatus" / "order_status" → "order status". */
const words = (key: string) =>
  key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase();

function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const items = value.map(scalar).filter((v): v is string => v !== undefined);
    return items.length ? items.join(', ') : undefined;
  }
  return undefined;
}

/**
 * A short spoken rendering of a tool's result: a string as it is, an object by its message field
 * or else by its first few simple fields ("status: shipped, arrives: Friday").
 */
export function renderResult(value: unknown): string {
  const simple = scalar(value);
  if (simple !== undefined) return simple;
  if (!isRecord(value)) return 'Done.';
  const message = MESSAGE_FIELDS.map((f) => value[f]).find((v) => typeof v === 'string' && v);
  if (typeof message === 'string') return message;
  const fields = Object.entries(value)
    .map(([key, v]) => [words(key), scalar(v)] as const)
    .filter(([, v]) => v !== undefined)
    .slice(0, MAX_FIELDS)
    .map(([key, v]) => `${key}: ${v}`);
  return fields.length ? `${fields.join(', ')}.` : 'Done.';
}
