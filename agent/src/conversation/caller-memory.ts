import type { CallerHistory } from '@parley/contracts';

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/**
 * What the agent is told of a returning visitor or caller (Parley's memory of their earlier
 * calls: how many, when the last one was, its summary), to add to its instructions; nothing for
 * a first-time caller.
 */
export function callerMemory(history: CallerHistory | undefined): string | undefined {
  if (!history || history.previousCalls === 0) return undefined;
  const { previousCalls, lastCallAt, lastSummary } = history;
  const times = previousCalls === 1 ? 'once' : `${previousCalls} times`;
  const when = lastCallAt ? ` The last time was ${lastCallAt.slice(0, 10)}.` : '';
  const gist = lastSummary ? ` Summary of that call: ${oneLine(lastSummary)}` : '';
  return (
    `This caller has talked with you ${times} before.${when}${gist} ` +
    'Greet them as a returning caller and use what you know when it helps; do not read the summary out.'
  );
}
