import { initializeLogger, type llm, voice } from '@livekit/agents';
import { RpcError } from '@livekit/rtc-node';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { END_CALL_REPLY } from './call-tools.js';
import { fakeToolCall, FakeControls, testPersona } from '../../test/fake-call.js';
import {
  createPersonaTools,
  NO_KNOWLEDGE_MATCH,
  ToolNameConflictError,
  type ToolDeps,
} from './index.js';

const knowledge = [
  { question: 'What are your opening hours?', answer: 'We are open 9 to 5, Monday to Friday.' },
  { question: 'Do you ship abroad?', answer: 'We ship to the EU and the UK.' },
];

const webhookTool = {
  name: 'order_status',
  description: 'Looks up an order.',
  url: 'https://shop.example/hooks/order-status',
  parameters: {
    type: 'object',
    properties: { orderId: { type: 'string' } },
    required: ['orderId'],
  },
} as const;

const clientToolDecl = {
  name: 'open_cart',
  description: 'Opens the cart on the page.',
  parameters: { type: 'object', properties: {} },
} as const;

function deps(overrides: Partial<ToolDeps> = {}): ToolDeps {
  return {
    persona: testPersona({ knowledge }),
    channel: 'web',
    server: { serverUrl: 'http://127.0.0.1:9', agentKey: 'unused' },
    callId: () => Promise.reject(new Error('no call record in this test')),
    controls: new FakeControls(),
    rpc: { call: () => Promise.reject(RpcError.builtIn('UNSUPPORTED_METHOD')) },
    ...overrides,
  };
}

const names = (ctx: llm.ToolContext) => Object.keys(ctx.functionTools).sort();

describe('createPersonaTools', () => {
  test('when a persona enables nothing, then there are no tools', () => {
    assert.deepEqual(names(createPersonaTools(deps())), []);
  });

  test('when a persona enables some built-ins, webhook and client tools, then exactly those are offered', () => {
    const persona = testPersona({
      tools: ['lookup_knowledge', 'end_call', 'capture_lead'],
      webhookTools: [webhookTool],
      clientTools: [clientToolDecl],
    });
    assert.deepEqual(names(createPersonaTools(deps({ persona }))), [
      'capture_lead',
      'end_call',
      'lookup_knowledge',
      'open_cart',
      'order_status',
    ]);
  });

  test('when the call is by phone, then opt_out is offered whatever the persona enables; on the web it is not', () => {
    assert.deepEqual(names(createPersonaTools(deps({ channel: 'phone' }))), ['opt_out']);
    const persona = testPersona({ tools: ['schedule_callback', 'end_call'] });
    assert.deepEqual(names(createPersonaTools(deps({ persona, channel: 'phone' }))), [
      'end_call',
      'opt_out',
      'schedule_callback',
    ]);
    assert.deepEqual(names(createPersonaTools(deps({ persona }))), [
      'end_call',
      'schedule_callback',
    ]);
  });

  test('when two tools share a name, then building them fails with a clear error', () => {
    const persona = testPersona({
      tools: ['end_call'],
      clientTools: [{ ...clientToolDecl, name: 'end_call' }],
    });
    assert.throws(
      () => createPersonaTools(deps({ persona })),
      (error) => {
        assert.ok(error instanceof ToolNameConflictError);
        assert.equal(error.code, 'tool_name_conflict');
        assert.match(error.message, /more than one tool named 'end_call'/);
        return true;
      },
    );
  });

  test('when knowledge is looked up, then the best answer comes back, or that nothing matches', async () => {
    const persona = testPersona({ knowledge, tools: ['lookup_knowledge'] });
    const lookup = createPersonaTools(deps({ persona })).getFunctionTool('lookup_knowledge');
    assert.ok(lookup);
    const { opts } = fakeToolCall();
    assert.equal(await lookup.execute({ query: 'when are you open' }, opts), knowledge[0]?.answer);
    assert.equal(
      await lookup.execute({ query: 'do you sell gift cards' }, opts),
      NO_KNOWLEDGE_MATCH,
    );
  });
});

/** The tools inside a real AgentSession (text mode: no room, no audio), driven by FakeLLM. */
describe('persona tools in an AgentSession', () => {
  before(() => initializeLogger({ pretty: false, level: 'fatal' }));

  const sessions: voice.AgentSession[] = [];
  after(async () => {
    await Promise.all(sessions.map((s) => s.close()));
  });

  async function start(toolDeps: ToolDeps, responses: voice.testing.FakeLLMResponse[]) {
    const session = new voice.AgentSession({ llm: new voice.testing.FakeLLM(responses) });
    sessions.push(session);
    const tools = createPersonaTools(toolDeps);
    await session.start({ agent: new voice.Agent({ instructions: 'Help callers.', tools }) });
    return session;
  }

  test('when the model looks knowledge up, then the call, its output and the reply are the events', async () => {
    const persona = testPersona({ knowledge, tools: ['lookup_knowledge'] });
    const answer = knowledge[0]?.answer ?? '';
    const session = await start(deps({ persona }), [
      {
        input: 'When are you open?',
        toolCalls: [{ name: 'lookup_knowledge', args: { query: 'opening hours' } }],
      },
      { input: JSON.stringify(answer), content: answer },
    ]);
    const result = await session.run({ userInput: 'When are you open?' }).wait();
    result.expect
      .nextEvent()
      .isFunctionCall({ name: 'lookup_knowledge', args: { query: 'opening hours' } });
    result.expect
      .nextEvent()
      .isFunctionCallOutput({ output: JSON.stringify(answer), isError: false });
    result.expect.nextEvent().isMessage({ role: 'assistant' });
    result.expect.noMoreEvents();
  });

  test('when the page has no such client tool, then the model gets that as an error output', async () => {
    const persona = testPersona({ clientTools: [clientToolDecl] });
    const session = await start(deps({ persona }), [
      { input: 'Show me my cart', toolCalls: [{ name: 'open_cart', args: {} }] },
    ]);
    const result = await session.run({ userInput: 'Show me my cart' }).wait();
    result.expect.nextEvent().isFunctionCall({ name: 'open_cart' });
    result.expect.nextEvent().isFunctionCallOutput({
      output: "The visitor's page has no open_cart tool right now.",
      isError: true,
    });
  });

  test('when the model calls capture_lead without a name, then the arguments are refused before anything is stored', async () => {
    const persona = testPersona({ tools: ['capture_lead'] });
    let asked = 0;
    const session = await start(
      deps({
        persona,
        callId: () => {
          asked++;
          return Promise.resolve('42');
        },
      }),
      [
        {
          input: 'I am interested',
          toolCalls: [{ name: 'capture_lead', args: { email: 'a@b.c' } }],
        },
      ],
    );
    const result = await session.run({ userInput: 'I am interested' }).wait();
    result.expect.nextEvent().isFunctionCall({ name: 'capture_lead' });
    const output = result.expect.nextEvent().isFunctionCallOutput({ isError: true }).event();
    assert.match(output.item.output, /^Invalid arguments for capture_lead/);
    assert.equal(asked, 0, 'no request was made');
  });

  test('when the model sends null for what the caller did not give, then the lead goes on to be stored', async () => {
    const persona = testPersona({ tools: ['capture_lead'] });
    let asked = 0;
    const session = await start(
      deps({
        persona,
        callId: () => {
          asked++;
          return Promise.reject(new Error('the server is down'));
        },
      }),
      [
        {
          input: 'I am Ada',
          toolCalls: [{ name: 'capture_lead', args: { name: 'Ada', email: null, budget: null } }],
        },
      ],
    );
    const result = await session.run({ userInput: 'I am Ada' }).wait();
    result.expect.nextEvent().isFunctionCall({ name: 'capture_lead' });
    result.expect.nextEvent().isFunctionCallOutput({
      output: 'The lead store is not available right now; try again in a moment.',
      isError: true,
    });
    assert.equal(asked, 1, 'the arguments were accepted and the store was asked');
  });

  test('when the caller asks for a person on the web, then the message plays through the session, no reply follows and the call ends after it', async () => {
    const persona = testPersona({
      tools: ['transfer_to_human'],
      escalation: { message: 'Our team will call you back.', transferTarget: '+14155550123' },
    });
    const log: string[] = [];
    const started: { session?: voice.AgentSession } = {};
    const controls = {
      // As the worker does it: speak now, off the chat history, and wait until it has played.
      say: async (text: string) => {
        log.push(`say: ${text}`);
        assert.ok(started.session);
        await started.session.say(text, { addToChatCtx: false }).waitForPlayout();
        log.push('said');
      },
      end: async (outcome: string) => void log.push(`end: ${outcome}`),
      expectOutcome: () => undefined,
      holdSilence: () => undefined,
      noteLead: () => undefined,
    };
    const session = await start(deps({ persona, controls }), [
      { input: 'Can I talk to a human?', toolCalls: [{ name: 'transfer_to_human', args: {} }] },
    ]);
    started.session = session;
    const result = await session.run({ userInput: 'Can I talk to a human?' }).wait();
    result.expect.nextEvent().isFunctionCall({ name: 'transfer_to_human' });
    result.expect.nextEvent().isFunctionCallOutput({ output: '', isError: false });
    result.expect.noMoreEvents();
    assert.deepEqual(log, ['say: Our team will call you back.', 'said', 'end: transferred']);
  });

  test('when the model ends the call, then its goodbye is the last reply and the call ends after it', async () => {
    const persona = testPersona({ tools: ['end_call'] });
    const controls = new FakeControls();
    const session = await start(deps({ persona, controls }), [
      { input: 'That is all, bye', toolCalls: [{ name: 'end_call', args: { reason: 'done' } }] },
      { input: JSON.stringify(END_CALL_REPLY), content: 'Goodbye, and thanks for calling!' },
    ]);
    session.on(voice.AgentSessionEventTypes.ConversationItemAdded, ({ item }) => {
      if (item.type === 'message' && item.role === 'assistant') {
        controls.log.push(`reply: ${item.textContent ?? ''}`);
      }
    });
    const result = await session.run({ userInput: 'That is all, bye' }).wait();
    result.expect.nextEvent().isFunctionCall({ name: 'end_call', args: { reason: 'done' } });
    result.expect.nextEvent().isFunctionCallOutput({ output: JSON.stringify(END_CALL_REPLY) });
    result.expect.nextEvent().isMessage({ role: 'assistant' });
    result.expect.noMoreEvents();
    assert.deepEqual(controls.log, [
      'reply: Goodbye, and thanks for calling!',
      'end: completed (done)',
    ]);
  });
});
