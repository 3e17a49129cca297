import type { TurnInput } from '@parley/contracts';

const MAX_QUOTE = 80;
const MAX_QUOTES = 3;

const quote = (text: string) => {
  const clean = text.replace(/\s+/g, ' ').trim();
  return `"${clean.length > MAX_QUOTE ? `${clean.slice(0, MAX_QUOTE - 1)}…` : clean}"`;
};

/**
 * A short extractive summary of a call for its record: how many turns, the caller's first
 * requests in their own words, and the tools that ran (with failures). It quotes rather than
 * paraphrases, so it works without a language model and never invents anything.
 */
export function summarizeCall(turns: readonly TurnInput[]): string | undefined {
  const said = turns.flatMap((t) => (t.userText?.trim() ? [t.userText] : []));
  if (said.length === 0) return undefined;
  const parts = [
    `${said.length} caller ${said.length === 1 ? 'turn' : 'turns'}.`,
    `Caller said: ${said.slice(0, MAX_QUOTES).map(quote).join('; ')}${said.length > MAX_QUOTES ? '; …' : ''}.`,
  ];
  const tools = turns.flatMap((t) => t.toolCalls ?? []);
  if (tools.length > 0) {
    const described = tools.map((t) => (t.error ? `${t.name} (failed)` : t.name));
    parts.push(`Tools: ${described.join(', ')}.`);
  }
  if (turns.some((t) => t.interrupted)) parts.push('The caller interrupted the agent.');
  return parts.join(' ');
}
