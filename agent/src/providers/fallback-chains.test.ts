import { llm, stt } from '@livekit/agents';
import { PersonaSchema } from '@parley/contracts';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { personaInstructions } from '../personas/persona-instructions.js';
import { ScriptedResponder } from '../scripted/scripted-llm.js';
import { type FailureMode, silenceFrames, speakFrames } from '@parley/test-fakes';
import { useFakeCloud } from '../../test/fake-cloud-suite.js';
import { createCartesiaTTS, createDeepgramSTT, createOpenAILLM } from './cloud-engines.js';
import { synthesizeChecked } from '../../test/conformance.js';
import { sleep, until } from '../../test/wait.js';
import { type FallbackEvent, llmChain, sttChain, ttsChain } from './fallback-chains.js';
import { FliteTTS } from './flite-tts.js';
import { PocketSphinxSTT } from './pocketsphinx-stt.js';

const SHIPPING = 'Shipping is free on orders over fifty dollars.';
const persona = PersonaSchema.parse({
  id: 'shop',
  name: 'Shop',
  greeting: 'Hi!',
  instructions: '',
  knowledge: [{ question: 'Do you offer free shipping?', answer: SHIPPING }],
});

/** Fallback events with the time they arrived. */
function recorder() {
  const events: (FallbackEvent & { at: number })[] = [];
  return { events, listener: (e: FallbackEvent) => events.push({ ...e, at: Date.now() }) };
}

describe('fallback chains: a provider outage mid-call falls through to the offline engine', () => {
  const fx = useFakeCloud();

  test('STT: when Deepgram goes down mid-question, PocketSphinx transcribes that question and carries on', async (t) => {
    const chain = sttChain([
      { name: 'deepgram', engine: createDeepgramSTT(fx.config.cloud.deepgram, persona) },
      { name: 'offline', engine: new PocketSphinxSTT({ ...fx.pocketsphinx }) },
    ]);
    t.after(() => chain.runner.close());
    const { events, listener } = recorder();
    chain.watch(listener);
    const stream = chain.runner.stream();
    t.after(() => stream.close());
    const finals: { text: string; provider: string; at: number }[] = [];
    const reading = (async () => {
      for await (const ev of stream) {
        const text = ev.alternatives?.[0]?.text;
        if (ev.type === stt.SpeechEventType.FINAL_TRANSCRIPT && text) {
          finals.push({ text, provider: chain.runner.provider, at: Date.now() });
        }
      }
    })();
    const say = async (text: string) => {
      for (const frame of [...(await speakFrames(text)), ...silenceFrames(1500)])
        stream.pushFrame(frame);
    };
    // The call goes on: the caller's line keeps sending (quiet) audio in real time.
    const silenceUntil = async (condition: () => boolean, what: string) => {
      const deadline = Date.now() + 15_000;
      while (!condition()) {
        if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
        for (const frame of silenceFrames(100)) stream.pushFrame(frame);
        await sleep(100);
      }
    };

    await say('What are your opening hours?');
    await until(() => finals.length > 0, 10_000, 'the first transcript');
    assert.equal(finals[0]?.provider, 'Deepgram');
    assert.match(finals[0]?.text ?? '', /opening hours/i);

    await fx.cloud.deepgram.setDown(true);
    t.after(() => fx.cloud.deepgram.setDown(false));
    // The caller asks into the outage. The dead connection says nothing and is given up after
    // 3 s of unanswered speech; what the caller said is replayed to PocketSphinx.
    await say('Do you offer free shipping?');
    const spokeAt = Date.now();
    await silenceUntil(() => finals.length > 1, 'the question asked into the outage');
    assert.deepEqual(
      events.map(({ stage, engine, available }) => ({ stage, engine, available })),
      [{ stage: 'stt', engine: 'deepgram', available: false }],
    );
    const switchMs = (events[0]?.at ?? 0) - spokeAt;
    const answerMs = (finals[1]?.at ?? 0) - spokeAt;

    await say('Where are you located?');
    await silenceUntil(() => finals.length > 2, 'the transcript after the outage');
    t.diagnostic(
      `STT: switched ${switchMs} ms after the question was sent, its transcript after ` +
        `${answerMs} ms: "${finals[1]?.text}"; then "${finals[2]?.text}"`,
    );
    assert.deepEqual(
      finals.map((f) => f.provider),
      ['Deepgram', 'pocketsphinx', 'pocketsphinx'],
      'each question transcribed once',
    );
    assert.match(finals[1]?.text ?? '', /^do you offer free shipping$/);
    assert.match(finals[2]?.text ?? '', /where are you located/);
    stream.endInput();
    await reading;
  });

  for (const mode of ['refuse', 'status', 'drop'] satisfies FailureMode[]) {
    test(`LLM: after a good reply, a '${mode}' outage hands the next turn to the scripted responder`, async (t) => {
      const chain = llmChain(
        [
          { name: 'openai', engine: createOpenAILLM(fx.config.cloud.openai, persona) },
          { name: 'scripted', engine: new ScriptedResponder(persona) },
        ],
        fx.config.cloud.openai.attemptTimeoutMs,
      );
      const { events, listener } = recorder();
      chain.watch(listener);
      // The fake model answers from the prompt, the scripted responder from the persona: the
      // two answers differ, so each reply shows which engine gave it.
      const prompt = personaInstructions({
        ...persona,
        knowledge: [{ question: 'Do you offer free shipping?', answer: 'The model says yes.' }],
      });
      const chatCtx = llm.ChatContext.empty();
      chatCtx.addMessage({ role: 'system', content: prompt });
      chatCtx.addMessage({ role: 'user', content: 'is shipping free?' });

      const first = await chain.runner.chat({ chatCtx }).collect();
      assert.equal(first.text, 'The model says yes.');

      await fx.cloud.openai.setDown(true, mode);
      t.after(() => fx.cloud.openai.setDown(false));
      const started = Date.now();
      const second = await chain.runner.chat({ chatCtx }).collect();
      t.diagnostic(`LLM '${mode}': fallback reply after ${Date.now() - started} ms`);
      assert.equal(second.text, SHIPPING);
      assert.deepEqual(
        events.map(({ engine, available }) => ({ engine, available })),
        [{ engine: 'openai', available: false }],
      );
    });
  }

  test('TTS: when Cartesia goes down, the next reply is spoken by Flite and the call is not failed', async (t) => {
    const chain = ttsChain([
      { name: 'cartesia', engine: createCartesiaTTS(fx.config.cloud.cartesia, persona) },
      { name: 'offline', engine: new FliteTTS({ binPath: fx.config.fliteBin }) },
    ]);
    const { events, listener } = recorder();
    chain.watch(listener);
    t.after(() => chain.runner.close());
    const errors: { recoverable: boolean }[] = [];
    chain.runner.on('error', (e) => errors.push(e));

    const before = fx.cloud.cartesia.requests.length;
    const first = await synthesizeChecked(chain.runner, 'We are open from nine to five.');
    assert.equal(first.sampleRate, 24_000);
    assert.equal(fx.cloud.cartesia.requests.length, before + 1, 'Cartesia spoke the first reply');

    await fx.cloud.cartesia.setDown(true);
    t.after(() => fx.cloud.cartesia.setDown(false));
    const second = await synthesizeChecked(
      chain.runner,
      'Shipping is free on orders over fifty dollars.',
    );
    t.diagnostic(
      `TTS: first audio after ${first.firstAudioMs.toFixed(0)} ms from Cartesia, ` +
        `${second.firstAudioMs.toFixed(0)} ms from Flite after Cartesia failed`,
    );
    assert.equal(second.sampleRate, 24_000, 'Flite is resampled to the chain rate');
    assert.deepEqual(
      events.map(({ engine, available }) => ({ engine, available })),
      [{ engine: 'cartesia', available: false }],
    );
    assert.ok(errors.length > 0, 'the outage was reported');
    assert.ok(
      errors.every((e) => e.recoverable),
      'but not as an error that would end the call',
    );

    // Cartesia is probed in the background and preferred again once it answers.
    await fx.cloud.cartesia.setDown(false);
    await until(() => events.length > 1, 8_000, 'Cartesia to recover');
    assert.deepEqual(events.map(({ engine, available }) => ({ engine, available }))[1], {
      engine: 'cartesia',
      available: true,
    });
  });

  test('TTS: a Cartesia that keeps dying mid-reply cuts one reply, not every reply', async (t) => {
    const chain = ttsChain([
      { name: 'cartesia', engine: createCartesiaTTS(fx.config.cloud.cartesia, persona) },
      { name: 'offline', engine: new FliteTTS({ binPath: fx.config.fliteBin }) },
    ]);
    const { events, listener } = recorder();
    chain.watch(listener);
    t.after(() => chain.runner.close());
    const errors: { recoverable: boolean }[] = [];
    chain.runner.on('error', (e) => errors.push(e));

    await fx.cloud.cartesia.setDown(true, 'drop');
    t.after(() => fx.cloud.cartesia.setDown(false));
    await assert.rejects(
      synthesizeChecked(chain.runner, 'We are open from nine to five.'),
      /marks the last frame final/,
      'the reply is cut short',
    );
    assert.deepEqual(
      events.map(({ engine, available }) => ({ engine, available })),
      [{ engine: 'cartesia', available: false }],
    );
    // Cartesia would cut this one too: spoken in full, it came from Flite.
    const next = await synthesizeChecked(
      chain.runner,
      'Shipping is free on orders over fifty dollars.',
    );
    assert.ok(next.seconds > 2, 'the next reply is spoken in full');
    assert.ok(errors.length > 0, 'the cut was reported');
    assert.ok(
      errors.every((e) => e.recoverable),
      'as an error the call survives',
    );
    // The recovery probe is cut off too: a partial reply does not count as recovered.
    await sleep(1_000);
    assert.equal(events.length, 1, 'Cartesia stays out while it keeps failing');
  });
});
