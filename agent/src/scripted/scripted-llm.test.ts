import { initializeLogger, llm } from '@livekit/agents';
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { ScriptedResponder } from './scripted-llm.js';

const HOURS = 'We are open from nine to five. Come by!';
const SHIPPING = 'Shipping is free over fifty dollars.';
const PERSONA = {
  greeting: 'Hello! How can I help?',
  fallback: 'Sorry, I do not know that one.',
  knowledge: [
    { question: 'What are your opening hours?', answer: HOURS },
    { question: 'Do you offer free shipping?', answer: SHIPPING },
  ],
};

function chatWith(...turns: [role: 'user' | 'assistant', text: string][]): llm.ChatContext {
  const ctx = llm.ChatContext.empty();
  for (const [role, content] of turns) ctx.addMessage({ role, content });
  return ctx;
}

async function reply(responder: ScriptedResponder, chatCtx: llm.ChatContext) {
  const chunks: llm.ChatChunk[] = [];
  for await (const chunk of responder.chat({ chatCtx })) chunks.push(chunk);
  return { chunks, text: chunks.map((c) => c.delta?.content ?? '').join('') };
}

describe('ScriptedResponder', () => {
  before(() => initializeLogger({ pretty: false, level: 'warn' }));

  test('it is labelled as scripted, not as a language model', () => {
    const responder = new ScriptedResponder(PERSONA);
    assert.match(responder.label(), /scripted/);
    assert.match(responder.model, /scripted/);
    assert.ok(responder instanceof llm.LLM);
  });

  test('when the caller asks a known question, then the answer streams word by word', async () => {
    const responder = new ScriptedResponder(PERSONA);
    const { chunks, text } = await reply(
      responder,
      chatWith(['assistant', PERSONA.greeting], ['user', 'when are you open']),
    );
    assert.equal(text, HOURS);
    assert.ok(chunks.length > 3, 'more than one chunk');
    assert.ok(chunks.every((c) => c.delta?.role === 'assistant' && c.id === chunks[0]?.id));
  });

  test('the last thing the caller said decides the answer', async () => {
    const responder = new ScriptedResponder(PERSONA);
    const { text } = await reply(
      responder,
      chatWith(
        ['user', 'what are your hours'],
        ['assistant', 'nine to five'],
        ['user', 'is shipping free'],
      ),
    );
    assert.equal(text, SHIPPING);
  });

  test('when nothing matches, then the persona fallback line is the answer', async () => {
    const { text } = await reply(
      new ScriptedResponder(PERSONA),
      chatWith(['user', 'tell me a joke']),
    );
    assert.equal(text, PERSONA.fallback);
  });

  test('when the caller has not spoken yet, then it greets', async () => {
    const { text } = await reply(new ScriptedResponder(PERSONA), chatWith());
    assert.equal(text, PERSONA.greeting);
  });

  test('collect() gathers the streamed reply and reports metrics like a model', async () => {
    const responder = new ScriptedResponder(PERSONA);
    const metrics: number[] = [];
    responder.on('metrics_collected', (m) => metrics.push(m.ttftMs));
    const response = await responder
      .chat({ chatCtx: chatWith(['user', 'free shipping?']) })
      .collect();
    assert.equal(response.text, SHIPPING);
    assert.deepEqual(response.toolCalls, []);
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(metrics.length, 1);
    assert.ok((metrics[0] ?? -1) >= 0);
  });
});
