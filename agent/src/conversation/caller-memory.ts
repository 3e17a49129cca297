import {
  CALLBACK_CONTEXT_VARIABLE,
  type CallerHistory,
  type TemplateValues,
} from '@parley/contracts';

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

/**
 * What the agent is told on a call back the caller asked for (its `callback_context`): that it
 * calls because they asked, and what they wanted then, so it can say why it calls.
 */
export function callbackBrief(values: TemplateValues): string | undefined {
  const context = values[CALLBACK_CONTEXT_VARIABLE];
  if (typeof context !== 'string' || !context.trim()) return undefined;
  return (
    'You are calling this person back: they asked for a call back on an earlier call. ' +
    `What they wanted then: ${oneLine(context)} Start by saying why you are calling.`
  );
}
