/**
 * Every engine this build has, offline and cloud (the cloud ones against their local fakes),
 * held to the same contract: each TTS × STT pair transcribes what was spoken within a word
 * error rate bound; each LLM streams text in the same shape and, if it calls tools, calls
 * them correctly.
 */
import { llm, type stt, type tts } from '@livekit/agents';
import { PersonaSchema } from '@parley/contracts';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { personaInstructions } from '../personas/persona-instructions.js';
import { ScriptedResponder } from '../scripted/scripted-llm.js';
import { useFakeCloud } from '../../test/fake-cloud-suite.js';
import { createCartesiaTTS, createDeepgramSTT, createOpenAILLM } from './cloud-engines.js';
import {
  checkTextStreaming,
  checkToolCall,
  orderStatusTool,
  roundTrip,
  ROUND_TRIP_SENTENCES,
} from '../../test/conformance.js';
import { FliteTTS } from './flite-tts.js';
import { PocketSphinxSTT } from './pocketsphinx-stt.js';

/**
 * Word error rate each pair must stay within, over ROUND_TRIP_SENTENCES (29 words). Measured:
 * 3.4% for the Cartesia pairs (1 error: "to a human" heard as "to human") and 6.9% for Flite's
 * (2 errors: "to you man"); the bound allows 4 errors. Both fakes run on the offline engines,
 * so the cloud pairs show that audio survives the wire protocols (rates, framing, events) intact.
 */
const MAX_WER = 0.15;

const persona = PersonaSchema.parse({
  id: 'shop',
  name: 'Shop',
  greeting: 'Hello! How can I help?',
  instructions: 'You are the voice of a small shop.',
  knowledge: [
    { question: 'What are your opening hours?', answer: 'We are open from nine to five.' },
    { question: 'Do you offer free shipping?', answer: 'Shipping is free over fifty dollars.' },
  ],
});

describe('provider conformance', () => {
  const fx = useFakeCloud();

  const speakers: Record<string, () => tts.TTS> = {
    flite: () => new FliteTTS({ binPath: fx.config.fliteBin }),
    'cartesia (fake)': () => createCartesiaTTS(fx.config.cloud.cartesia, persona),
  };
  // Unbiased: the round trip measures the engines, not the persona's hints.
  const listeners: Record<string, () => stt.STT> = {
    pocketsphinx: () => new PocketSphinxSTT({ ...fx.pocketsphinx }),
    'deepgram (fake)': () => createDeepgramSTT(fx.config.cloud.deepgram, persona),
  };

  // The pairs run side by side: each waits mostly for its transcripts to settle, and each has
  // its own engines, so one's audio cannot reach another's recogniser.
  describe('round trips', { concurrency: true }, () => {
    for (const [speakerName, speaker] of Object.entries(speakers)) {
      for (const [listenerName, listener] of Object.entries(listeners)) {
        test(`${speakerName} → ${listenerName}: what is spoken is heard within WER ${MAX_WER}`, async (t) => {
          const [voice, ear] = [speaker(), listener()];
          t.after(async () => {
            await voice.close();
            await ear.close();
          });
          const result = await roundTrip(voice, ear);
          t.diagnostic(
            `WER ${(result.wer * 100).toFixed(1)}% over ${ROUND_TRIP_SENTENCES.length} sentences`,
          );
          for (const { reference, hypothesis } of result.sentences) {
            t.diagnostic(`  "${reference}" → "${hypothesis}"`);
          }
          assert.ok(result.wer <= MAX_WER, `WER ${result.wer.toFixed(3)} > ${MAX_WER}`);
        });
      }
    }
  });

  const models: Record<string, { create: () => llm.LLM; callsTools: boolean }> = {
    scripted: { create: () => new ScriptedResponder(persona), callsTools: false },
    'openai (fake)': {
      create: () => createOpenAILLM(fx.config.cloud.openai, persona),
      callsTools: true,
    },
  };

  for (const [name, { create, callsTools }] of Object.entries(models)) {
    test(`${name}: streams an answer from the persona's knowledge`, async () => {
      const chatCtx = llm.ChatContext.empty();
      chatCtx.addMessage({ role: 'system', content: personaInstructions(persona) });
      chatCtx.addMessage({ role: 'user', content: 'When are you open?' });
      const { text, toolCalls } = await checkTextStreaming(create(), chatCtx);
      assert.equal(text, 'We are open from nine to five.');
      assert.deepEqual(toolCalls, []);
    });

    if (callsTools) {
      test(`${name}: calls a tool with a well-formed call and answers from its output`, async () => {
        const { call, answer } = await checkToolCall(create());
        assert.equal(call.name, 'check_order_status');
        assert.match(answer, /42/);
      });
    } else {
      test(`${name}: offered tools, it answers in text and calls none`, async () => {
        const chatCtx = llm.ChatContext.empty();
        chatCtx.addMessage({ role: 'user', content: 'Can you check the status of order 42?' });
        const { text, toolCalls } = await checkTextStreaming(create(), chatCtx, orderStatusTool());
        assert.deepEqual(toolCalls, []);
        assert.equal(text, persona.fallback);
      });
    }
  }
});
