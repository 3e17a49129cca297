import { initializeLogger, llm } from '@livekit/agents';
import { HANDOFF_TOOL, PersonaSchema } from '@parley/contracts';
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { z } from 'zod';
import { recordingTools } from '../../test/recording-tools.js';
import { ScriptedResponder } from './scripted-llm.js';

const HOURS = 'We are open from nine to five. Come by!';
const SHIPPING = 'Shipping is free over fifty dollars.';
const PERSONA = PersonaSchema.parse({
  id: 'shop',
  name: 'Shop',
  instructions: '',
  greeting: 'Hello! How can I help?',
  fallback: 'Sorry, I do not know that one.',
  knowledge: [
    { question: 'What are your opening hours?', answer: HOURS },
    { question: 'Do you offer free shipping?', answer: SHIPPING },
  ],
});

function chatWith(...turns: [role: 'user' | 'assistant', text: string][]): llm.ChatContext {
  const ctx = llm.ChatContext.empty();
  for (const [role, content] of turns) ctx.addMessage({ role, content });
  return ctx;
}

async function reply(
  responder: ScriptedResponder,
  chatCtx: llm.ChatContext,
  toolCtx?: llm.ToolContextLike,
) {
  const chunks: llm.ChatChunk[] = [];
  for await (const chunk of responder.chat({ chatCtx, toolCtx })) chunks.push(chunk);
  return {
    chunks,
    text: chunks.map((c) => c.delta?.content ?? '').join(''),
    toolCalls: chunks.flatMap((c) => c.delta?.toolCalls ?? []),
  };
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

const ORDER_STATUS = {
  name: 'order_status',
  description: 'Looks up an order.',
  url: 'https://shop.example/tools/order-status',
  parameters: {
    type: 'object',
    properties: { orderNumber: { type: 'integer' }, question: { type: 'string' } },
  },
  phrases: ['where is my order', 'order status'],
};
const TOOL_PERSONA = PersonaSchema.parse({
  ...PERSONA,
  webhookTools: [ORDER_STATUS],
  handoffs: [{ personaId: 'sales', when: 'the caller wants to buy', phrases: ['talk to sales'] }],
  escalation: { message: 'Please hold for a colleague.' },
});

const orderStatusTool = llm.tool({
  name: 'order_status',
  description: ORDER_STATUS.description,
  parameters: z.object({ orderNumber: z.number().int(), question: z.string() }),
  execute: async () => 'unused: the stream only emits the call',
});

/** A chat context in which the responder called `name` and the tool answered `output`. */
function afterToolCall(
  userText: string,
  name: string,
  args: unknown,
  output: string,
  isError = false,
) {
  const ctx = chatWith(['user', userText]);
  ctx.insert([
    llm.FunctionCall.create({ callId: 'c1', name, args: JSON.stringify(args) }),
    llm.FunctionCallOutput.create({ callId: 'c1', name, output, isError }),
  ]);
  return ctx;
}

describe('ScriptedResponder tool calls', () => {
  before(() => initializeLogger({ pretty: false, level: 'warn' }));

  test("when a persona tool's phrase is said, then it is called with arguments from the sentence", async () => {
    const { text, toolCalls } = await reply(
      new ScriptedResponder(TOOL_PERSONA),
      chatWith(['user', 'where is my order number forty two']),
      [orderStatusTool],
    );
    assert.equal(text, '');
    assert.equal(toolCalls.length, 1);
    assert.equal(toolCalls[0]?.name, 'order_status');
    assert.deepEqual(JSON.parse(toolCalls[0]?.args ?? ''), {
      orderNumber: 42,
      question: 'where is my order number forty two',
    });
  });

  test('when the tool is not offered, then its phrase calls nothing', async () => {
    const { text, toolCalls } = await reply(
      new ScriptedResponder(TOOL_PERSONA),
      chatWith(['user', 'where is my order number forty two']),
    );
    assert.deepEqual(toolCalls, []);
    assert.equal(text, PERSONA.fallback);
  });

  test("after a tool's result, then the result is said: a message field, or a few fields", async () => {
    const responder = new ScriptedResponder(TOOL_PERSONA);
    const said = async (output: unknown) =>
      (
        await reply(
          responder,
          afterToolCall('order status 7', 'order_status', {}, JSON.stringify(output)),
          [orderStatusTool],
        )
      ).text;
    assert.equal(await said({ message: 'Order 7 ships tomorrow.' }), 'Order 7 ships tomorrow.');
    assert.equal(
      await said({ orderNumber: 7, deliveryDay: 'Friday', items: ['mug', 'tea'] }),
      'order number: 7, delivery day: Friday, items: mug, tea.',
    );
  });

  test("after a tool's error, then the error is said and no tool is called again", async () => {
    const { text, toolCalls } = await reply(
      new ScriptedResponder(TOOL_PERSONA),
      afterToolCall('order status 7', 'order_status', {}, 'The order system is down.', true),
      [orderStatusTool],
    );
    assert.equal(text, "Sorry, that didn't work. The order system is down.");
    assert.deepEqual(toolCalls, []);
  });

  test("when a handoff's phrase is said, then handoff is called with the target persona", async () => {
    const { tools } = recordingTools();
    const { toolCalls } = await reply(
      new ScriptedResponder(TOOL_PERSONA),
      chatWith(['user', 'can I talk to sales please']),
      tools,
    );
    assert.equal(toolCalls[0]?.name, HANDOFF_TOOL);
    assert.deepEqual(JSON.parse(toolCalls[0]?.args ?? ''), { personaId: 'sales' });
    // Once handed over, the new persona's agent speaks, not this one.
    const after = await reply(
      new ScriptedResponder(TOOL_PERSONA),
      afterToolCall(
        'talk to sales',
        HANDOFF_TOOL,
        { personaId: 'sales' },
        '"handed over to Sales"',
      ),
      tools,
    );
    assert.equal(after.text, '');
  });

  test('without the transfer and end_call tools, then escalation and goodbye are said instead', async () => {
    const responder = new ScriptedResponder(TOOL_PERSONA);
    const human = await reply(responder, chatWith(['user', 'I want to talk to a real person']));
    assert.equal(human.text, 'Please hold for a colleague.');
    const bye = await reply(responder, chatWith(['user', 'ok bye']));
    assert.equal(bye.text, 'Thank you for calling. Goodbye!');
    assert.deepEqual([...human.toolCalls, ...bye.toolCalls], []);
  });

  test('without capture_lead, then interest gets the ordinary answer', async () => {
    const { text } = await reply(
      new ScriptedResponder(PERSONA),
      chatWith(['user', "I'm interested, can I get a quote?"]),
    );
    assert.equal(text, PERSONA.fallback);
  });

  test('the same conversation always gets the same reply and the same call id', async () => {
    const { tools } = recordingTools();
    const ctx = chatWith(
      ['user', 'I want a quote'],
      ['assistant', 'May I have your name?'],
      ['user', 'bye'],
    );
    const first = await reply(new ScriptedResponder(TOOL_PERSONA), ctx, tools);
    const second = await reply(new ScriptedResponder(TOOL_PERSONA), ctx.copy(), tools);
    assert.equal(first.toolCalls[0]?.name, 'end_call');
    assert.deepEqual(
      second.toolCalls.map((c) => [c.callId, c.name, c.args]),
      first.toolCalls.map((c) => [c.callId, c.name, c.args]),
    );
  });

  test('when the caller asks if it is a bot mid-form, then it answers honestly and repeats the question', async () => {
    const { tools } = recordingTools();
    const { text } = await reply(
      new ScriptedResponder(TOOL_PERSONA),
      chatWith(
        ['user', 'I want a quote'],
        ['assistant', 'May I have your name?'],
        ['user', 'wait, are you a bot?'],
      ),
      tools,
    );
    assert.equal(text, `${TOOL_PERSONA.disclosure.line} May I have your name, please?`);
  });

  test('without business hours, then asking for an appointment starts no booking', async () => {
    const { tools } = recordingTools();
    const { text, toolCalls } = await reply(
      new ScriptedResponder(PERSONA),
      chatWith(['user', 'can I book an appointment']),
      tools,
    );
    assert.equal(text, PERSONA.fallback);
    assert.deepEqual(toolCalls, []);
  });
});
