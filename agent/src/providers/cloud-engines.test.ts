import { llm, stt } from '@livekit/agents';
import { PersonaSchema } from '@parley/contracts';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { personaInstructions } from '../personas/persona-instructions.js';
import { useFakeCloud } from '../../test/fake-cloud-suite.js';
import { speakFrames } from '@parley/test-fakes';
import {
  cartesiaVoiceFor,
  createCartesiaTTS,
  createDeepgramSTT,
  createOpenAILLM,
} from './cloud-engines.js';
import { checkToolCall, synthesizeChecked, Transcriber } from '../../test/conformance.js';

const SHIPPING = 'Shipping is free on orders over fifty dollars.';
const persona = PersonaSchema.parse({
  id: 'shop',
  name: 'Shop',
  greeting: 'Hi!',
  instructions: 'You are the voice of a small shop.',
  knowledge: [
    { question: 'What are your opening hours?', answer: 'We are open from nine to five.' },
    { question: 'Do you offer free shipping?', answer: SHIPPING },
  ],
});

describe('cloud engines against their protocol fakes', () => {
  const fx = useFakeCloud();

  test('Deepgram streams interim and final transcripts of a spoken question, with timed words', async () => {
    const engine = createDeepgramSTT(fx.config.cloud.deepgram, persona);
    const transcriber = new Transcriber(engine);
    const text = await transcriber.hear(await speakFrames('What are your opening hours?'));
    await transcriber.close();
    const { events } = transcriber;
    assert.match(text, /opening hours/i);
    const types = events.map((e) => e.type);
    assert.ok(types.includes(stt.SpeechEventType.INTERIM_TRANSCRIPT), types.join(','));
    assert.ok(
      types.indexOf(stt.SpeechEventType.START_OF_SPEECH) <
        types.indexOf(stt.SpeechEventType.FINAL_TRANSCRIPT),
    );
    assert.ok(
      types.lastIndexOf(stt.SpeechEventType.END_OF_SPEECH) >
        types.indexOf(stt.SpeechEventType.FINAL_TRANSCRIPT),
    );
    const final = events.find((e) => e.type === stt.SpeechEventType.FINAL_TRANSCRIPT)
      ?.alternatives?.[0];
    const words = final?.words ?? [];
    assert.ok(words.length >= 4, 'word timings come through');
    const starts = words.map((w) => w.startTime ?? -1);
    assert.ok(
      starts.every((t, i) => t >= (words[i - 1]?.endTime ?? 0) - 1e-6),
      String(starts),
    );

    const socket = fx.cloud.deepgram.requests.find((r) => r.path === '/v1/listen');
    assert.equal(socket?.headers.authorization, 'Token fake-deepgram-key');
    await engine.close();
  });

  test('Deepgram transcribes a recorded question over REST', async () => {
    const engine = createDeepgramSTT(fx.config.cloud.deepgram, persona);
    const result = await engine.recognize(await speakFrames('Where are you located?', 16_000));
    assert.equal(result.alternatives?.[0]?.text, 'Where are you located?');
    assert.equal(fx.cloud.deepgram.requests.at(-1)?.method, 'POST');
  });

  test('Deepgram refuses a wrong key with 401, and the stream fails without retrying', async () => {
    const engine = createDeepgramSTT({ ...fx.config.cloud.deepgram, apiKey: 'wrong' }, persona);
    const errors: Error[] = [];
    engine.on('error', (e) => errors.push(e.error));
    const attempts = fx.cloud.deepgram.requests.length;
    const stream = engine.stream(); // the default connection options allow 3 retries
    for (const frame of await speakFrames('hello')) stream.pushFrame(frame);
    const events: stt.SpeechEvent[] = [];
    for await (const event of stream) events.push(event);
    assert.deepEqual(events, []);
    assert.equal(errors.length, 1);
    assert.match(errors[0]?.message ?? '', /401/);
    assert.equal(fx.cloud.deepgram.requests.length, attempts + 1, 'a refused key is not retried');
  });

  test('the OpenAI-compatible LLM streams the answer the persona prompt holds, with usage', async () => {
    const model = createOpenAILLM(fx.config.cloud.openai, persona);
    const chatCtx = llm.ChatContext.empty();
    chatCtx.addMessage({ role: 'system', content: personaInstructions(persona) });
    chatCtx.addMessage({ role: 'user', content: 'is shipping free' });
    const chunks: llm.ChatChunk[] = [];
    for await (const chunk of model.chat({ chatCtx })) chunks.push(chunk);
    assert.equal(chunks.map((c) => c.delta?.content ?? '').join(''), SHIPPING);
    assert.ok(chunks.filter((c) => c.delta?.content).length > 3, 'streamed in pieces');
    assert.ok((chunks.at(-1)?.usage?.totalTokens ?? 0) > 0, 'usage chunk last');

    const request = fx.cloud.openai.chats.at(-1);
    assert.equal(request?.model, 'gpt-4o-mini');
    assert.equal(request?.stream, true);
    assert.equal(request?.stream_options?.include_usage, true);
    const sent = fx.cloud.openai.requests.at(-1);
    assert.equal(sent?.headers.authorization, 'Bearer fake-openai-key');
    await model.aclose();
  });

  test('the OpenAI-compatible LLM sends tool schemas and returns a whole tool call', async () => {
    const model = createOpenAILLM(fx.config.cloud.openai, persona);
    const { call, answer } = await checkToolCall(model);
    assert.match(call.callId, /^call_/);
    assert.deepEqual(JSON.parse(call.args), { orderId: '42' });
    assert.match(answer, /left the warehouse/);
    const [first, second] = fx.cloud.openai.chats.slice(-2);
    const tool = first?.tools?.[0]?.function;
    assert.equal(tool?.name, 'check_order_status');
    assert.deepEqual(tool?.parameters?.required, ['orderId']);
    assert.equal(second?.messages.at(-1)?.role, 'tool');
    assert.equal(second?.messages.at(-1)?.tool_call_id, call.callId);
  });

  test('Cartesia speaks a streamed reply at 24 kHz, with word timings', async () => {
    const engine = createCartesiaTTS(fx.config.cloud.cartesia, persona);
    const audio = await synthesizeChecked(engine, 'Hello there. We are open from nine to five.');
    assert.equal(audio.sampleRate, 24_000);
    assert.ok(audio.seconds > 1.5 && audio.seconds < 6, `${audio.seconds} s`);
    assert.equal(audio.timedWords, 9, 'one timing per word');
    const upgrade = fx.cloud.cartesia.requests.find((r) => r.path === '/tts/websocket');
    assert.equal(upgrade?.headers['x-api-key'], 'fake-cartesia-key');
    assert.ok(upgrade?.headers['cartesia-version']);
    await engine.close();
  });

  test('Cartesia refuses a wrong key, and synthesis fails', async () => {
    const engine = createCartesiaTTS({ ...fx.config.cloud.cartesia, apiKey: 'wrong' }, persona);
    const errors: Error[] = [];
    engine.on('error', (e) => errors.push(e.error));
    const stream = engine.stream({
      connOptions: { maxRetry: 0, retryIntervalMs: 0, timeoutMs: 5000 },
    });
    stream.pushText('Hello there.');
    stream.endInput();
    for await (const item of stream) assert.equal(typeof item, 'symbol', 'no audio');
    assert.match(errors[0]?.message ?? '', /401/);
    await engine.close();
  });

  test('a persona voice that is a Cartesia voice id is used, any other keeps the default', () => {
    const id = 'a0e99841-438c-4a64-b679-ae501e7d6091';
    assert.equal(cartesiaVoiceFor(id), id);
    assert.equal(cartesiaVoiceFor('slt', 'configured'), 'configured');
    assert.equal(cartesiaVoiceFor('default'), undefined);
  });
});
