import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_RATES, estimateCost, estimateCostUsd } from './call-cost.js';

describe('estimateCostUsd', () => {
  test('when a call used the cloud engines, then each is priced by its own unit', () => {
    const usage = [
      { type: 'stt_usage', provider: 'Deepgram', model: 'nova-3', audioDurationMs: 120_000 },
      {
        type: 'llm_usage',
        provider: 'api.openai.com',
        model: 'gpt-4o-mini',
        inputTokens: 1_000_000,
        outputTokens: 100_000,
      },
      { type: 'tts_usage', provider: 'Cartesia', model: 'sonic-3', charactersCount: 5_000 },
    ] as const;
    // 2 min × 0.0077 + (0.15 + 0.1 × 0.60) + 5 × 0.0392
    assert.equal(estimateCostUsd(usage), 0.4214);
  });

  test('when a call ran on the offline engines, then it costs nothing and nothing is unpriced', () => {
    const usage = [
      { type: 'stt_usage', provider: 'pocketsphinx', model: 'en-us', audioDurationMs: 60_000 },
      { type: 'llm_usage', provider: 'parley-scripted', model: 'scripted (not an LLM)' },
      { type: 'tts_usage', provider: 'flite', model: 'slt', charactersCount: 900 },
    ] as const;
    assert.deepEqual(estimateCost(usage), { usd: 0, unpriced: [] });
  });

  test('when no rate covers a provider, then it counts as free and is named; a model rate beats the provider rate', () => {
    const rates = {
      ...DEFAULT_RATES,
      'api.groq.com': { kind: 'llm', usdPerMillionInput: 1, usdPerMillionOutput: 1 },
      'api.groq.com/big': { kind: 'llm', usdPerMillionInput: 10, usdPerMillionOutput: 10 },
    } as const;
    const usage = [
      { type: 'llm_usage', provider: 'api.groq.com', model: 'big', inputTokens: 100_000 },
      { type: 'llm_usage', provider: 'api.groq.com', model: 'small', inputTokens: 100_000 },
      { type: 'tts_usage', provider: 'ElevenLabs', model: 'turbo', charactersCount: 10 },
    ] as const;
    assert.deepEqual(estimateCost(usage, rates), { usd: 1.1, unpriced: ['elevenlabs/turbo'] });
  });
});
