import type { metrics } from '@livekit/agents';

/** What one provider (and optionally one of its models) costs, in US dollars. */
export type Rate =
  | { kind: 'free' }
  | { kind: 'stt'; usdPerMinute: number }
  | { kind: 'llm'; usdPerMillionInput: number; usdPerMillionOutput: number }
  | { kind: 'tts'; usdPerThousandChars: number };

/**
 * Rates keyed by `provider/model` or by `provider` alone (lower case), as LiveKit Agents
 * reports them in `AgentSession.usage` (an OpenAI-compatible LLM reports its base URL's host).
 */
export type RateCard = Record<string, Rate>;

/**
 * List prices for the cloud engines Parley ships with, for an estimate only; override them per
 * deployment (negotiated rates, other models). Offline engines run on the agent's own machine.
 */
export const DEFAULT_RATES: RateCard = {
  // Offline engines (agent/README.md): no per-use cost.
  pocketsphinx: { kind: 'free' },
  flite: { kind: 'free' },
  festival: { kind: 'free' },
  'parley-scripted': { kind: 'free' },
  // Deepgram Nova-3 streaming, pay as you go: $0.0077/min (deepgram.com/pricing, 2025).
  deepgram: { kind: 'stt', usdPerMinute: 0.0077 },
  // OpenAI gpt-4o-mini: $0.15 in / $0.60 out per 1M tokens (openai.com/api/pricing, 2025).
  'api.openai.com/gpt-4o-mini': { kind: 'llm', usdPerMillionInput: 0.15, usdPerMillionOutput: 0.6 },
  // OpenAI gpt-4o: $2.50 in / $10 out per 1M tokens (openai.com/api/pricing, 2025).
  'api.openai.com/gpt-4o': { kind: 'llm', usdPerMillionInput: 2.5, usdPerMillionOutput: 10 },
  // Cartesia Sonic: ~1 credit per character (docs.cartesia.ai/pricing); the Startup plan's
  // $49 for 1.25M credits (cartesia.ai/pricing, 2025) is $0.0392 per 1000 characters.
  cartesia: { kind: 'tts', usdPerThousandChars: 0.0392 },
};

export interface CostEstimate {
  usd: number;
  /** `provider/model` of usage no rate covered; counted as free. */
  unpriced: string[];
}

type Usage = Partial<metrics.ModelUsage>;

/**
 * Estimates what a call's model usage cost — `session.usage.modelUsage` from LiveKit Agents.
 * Usage no rate covers counts as zero and is listed in `unpriced`.
 */
export function estimateCost(
  usage: readonly Usage[],
  rates: RateCard = DEFAULT_RATES,
): CostEstimate {
  let usd = 0;
  const unpriced: string[] = [];
  for (const entry of usage) {
    const provider = (entry.provider ?? '').toLowerCase();
    const model = (entry.model ?? '').toLowerCase();
    const rate = rates[`${provider}/${model}`] ?? rates[provider];
    const cost = rate && costOf(entry, rate);
    if (cost === undefined) {
      if (usedAnything(entry)) unpriced.push(`${provider}/${model}`);
      continue;
    }
    usd += cost;
  }
  return { usd: Math.round(usd * 1e6) / 1e6, unpriced };
}

/** {@link estimateCost}, in dollars only. */
export function estimateCostUsd(usage: readonly Usage[], rates: RateCard = DEFAULT_RATES): number {
  return estimateCost(usage, rates).usd;
}

/** The cost of one usage entry, or undefined when the rate is for another kind of model. */
function costOf(entry: Usage, rate: Rate): number | undefined {
  if (rate.kind === 'free') return 0;
  if (rate.kind === 'stt' && entry.type === 'stt_usage') {
    return ((entry.audioDurationMs ?? 0) / 60_000) * rate.usdPerMinute;
  }
  if (rate.kind === 'llm' && entry.type === 'llm_usage') {
    const input = entry.inputTokens ?? 0;
    const output = entry.outputTokens ?? 0;
    return (input * rate.usdPerMillionInput + output * rate.usdPerMillionOutput) / 1e6;
  }
  if (rate.kind === 'tts' && entry.type === 'tts_usage') {
    return ((entry.charactersCount ?? 0) / 1000) * rate.usdPerThousandChars;
  }
  return undefined;
}

function usedAnything(entry: Usage): boolean {
  return Object.values(entry).some((value) => typeof value === 'number' && value > 0);
}
