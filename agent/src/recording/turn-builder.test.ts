import { llm, voice } from '@livekit/agents';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TurnBuilder, TurnMoments } from './turn-builder.js';

function message(
  role: llm.ChatRole,
  content: string,
  extra: { interrupted?: boolean; metrics?: llm.MetricsReport } = {},
) {
  return voice.createConversationItemAddedEvent(
    llm.ChatMessage.create({ role, content, ...extra }),
  );
}

function toolsExecuted(
  ...calls: [name: string, args: string, output: string, isError?: boolean][]
) {
  return voice.createFunctionToolsExecutedEvent({
    functionCalls: calls.map(([name, args], i) =>
      llm.FunctionCall.create({ callId: `call-${i}`, name, args }),
    ),
    functionCallOutputs: calls.map(([name, , output, isError = false], i) =>
      llm.FunctionCallOutput.create({ callId: `call-${i}`, name, output, isError }),
    ),
  });
}

describe('TurnBuilder', () => {
  test('when the agent greets before the caller speaks, then the greeting is a turn of its own', () => {
    const builder = new TurnBuilder();
    const turn = builder.onConversationItem(
      message('assistant', 'Hello! How can I help?', { metrics: { ttsNodeTtfb: 0.1204 } }),
    );
    assert.deepEqual(turn, {
      userText: undefined,
      agentText: 'Hello! How can I help?',
      interrupted: false,
      timings: { ttsFirstByteMs: 120 },
      toolCalls: [],
    });
  });

  test('when the agent answers, then the turn pairs the caller text with the reply and converts the latencies from seconds to ms', () => {
    const builder = new TurnBuilder();
    const user = message('user', 'When are you open?', {
      metrics: { transcriptionDelay: 0.09, endOfTurnDelay: 0.4, onUserTurnCompletedDelay: 0.001 },
    });
    assert.equal(builder.onConversationItem(user), undefined);
    assert.equal(builder.pending, true);
    const turn = builder.onConversationItem(
      message('assistant', 'Nine to five.', {
        metrics: { llmNodeTtft: 0.3, ttsNodeTtfb: 0.12, e2eLatency: 1.1, playbackLatency: 0 },
      }),
    );
    assert.deepEqual(turn, {
      userText: 'When are you open?',
      agentText: 'Nine to five.',
      interrupted: false,
      timings: {
        transcriptionMs: 90,
        endOfTurnMs: 400,
        llmFirstTokenMs: 300,
        ttsFirstByteMs: 120,
        e2eMs: 1100,
      },
      toolCalls: [],
    });
    assert.equal(builder.pending, false);
  });

  test('when the caller says several things before the reply, then they form one turn timed by the last', () => {
    const builder = new TurnBuilder();
    builder.onConversationItem(message('user', 'Hi.', { metrics: { endOfTurnDelay: 0.9 } }));
    builder.onConversationItem(
      message('user', ' Is shipping free? ', { metrics: { endOfTurnDelay: 0.5 } }),
    );
    const turn = builder.onConversationItem(message('assistant', 'Over fifty dollars.'));
    assert.equal(turn?.userText, 'Hi. Is shipping free?');
    assert.deepEqual(turn?.timings, { endOfTurnMs: 500 });
  });

  test('when the caller cuts the agent off, then the turn says it was interrupted', () => {
    const builder = new TurnBuilder();
    builder.onConversationItem(message('user', 'Tell me about plans'));
    const turn = builder.onConversationItem(
      message('assistant', 'We have three', { interrupted: true }),
    );
    assert.equal(turn?.interrupted, true);
    assert.equal(turn?.agentText, 'We have three');
  });

  test('when tools run before the reply, then the turn carries each call with its arguments and result or error', () => {
    const builder = new TurnBuilder();
    builder.onConversationItem(message('user', 'Where is order A-17?'));
    builder.onFunctionToolsExecuted(
      toolsExecuted(
        ['lookup_order', '{"id":"A-17"}', '{"status":"packed"}'],
        ['notify', '{"channel":"sms"}', 'gateway timeout', true],
        ['plain', '[1,2]', 'done'],
      ),
    );
    const turn = builder.onConversationItem(message('assistant', 'It is packed.'));
    assert.deepEqual(turn?.toolCalls, [
      { name: 'lookup_order', args: { id: 'A-17' }, result: { status: 'packed' } },
      { name: 'notify', args: { channel: 'sms' }, error: 'gateway timeout' },
      { name: 'plain', args: { value: [1, 2] }, result: 'done' },
    ]);
    assert.equal(turn?.userText, 'Where is order A-17?');
  });

  test('when the agent speaks before and after a tool, then the tool calls join the turn of the reply that follows them', () => {
    const builder = new TurnBuilder();
    builder.onConversationItem(message('user', 'Where is my order?'));
    const first = builder.onConversationItem(message('assistant', 'Let me check.'));
    builder.onFunctionToolsExecuted(toolsExecuted(['lookup_order', '{}', '"packed"']));
    const second = builder.onConversationItem(message('assistant', 'It is packed.'));
    assert.deepEqual(
      [first, second].map((t) => [t?.userText, t?.agentText, t?.toolCalls?.length]),
      [
        ['Where is my order?', 'Let me check.', 0],
        [undefined, 'It is packed.', 1],
      ],
    );
  });

  test('when the call ends after the caller spoke, then flush answers the unanswered turn once', () => {
    const builder = new TurnBuilder();
    assert.equal(builder.flush(), undefined);
    builder.onConversationItem(
      message('user', 'Are you there?', { metrics: { endOfTurnDelay: 0.2 } }),
    );
    assert.deepEqual(builder.flush(), {
      userText: 'Are you there?',
      agentText: undefined,
      interrupted: false,
      timings: { endOfTurnMs: 200 },
      toolCalls: [],
    });
    assert.equal(builder.flush(), undefined);
  });

  test('system messages and handoffs are not turns', () => {
    const builder = new TurnBuilder();
    assert.equal(builder.onConversationItem(message('system', 'You are helpful.')), undefined);
    const handoff = llm.AgentHandoffItem.create({ newAgentId: 'sales' });
    assert.equal(
      builder.onConversationItem(voice.createConversationItemAddedEvent(handoff)),
      undefined,
    );
    assert.equal(builder.pending, false);
  });

  test('what the server would refuse is made to fit: negative spans dropped, long text and big results clipped', () => {
    const builder = new TurnBuilder();
    builder.onConversationItem(message('user', 'u'.repeat(12_000)));
    builder.onFunctionToolsExecuted(
      toolsExecuted(['dump', JSON.stringify({ blob: 'b'.repeat(9_000) }), 'r'.repeat(9_000)]),
    );
    const turn = builder.onConversationItem(
      message('assistant', 'ok', { metrics: { e2eLatency: -0.05, llmNodeTtft: Number.NaN } }),
    );
    assert.equal(turn?.userText?.length, 10_000);
    assert.deepEqual(turn?.timings, {});
    const [call] = turn?.toolCalls ?? [];
    assert.equal(typeof call?.args?.truncated, 'string');
    assert.ok(JSON.stringify(call).length < 9_000, 'tool call is capped');
  });
});

describe('TurnMoments', () => {
  const logged = () => {
    const lines: object[] = [];
    return { lines, moments: new TurnMoments({ info: (obj) => lines.push(obj) }) };
  };

  test("when the agent answers, then the caller's end of speech and the reply's first frame are logged as epoch ms", () => {
    const { lines, moments } = logged();
    moments.onConversationItem(
      message('user', 'When are you open?', { metrics: { stoppedSpeakingAt: 1_800_000_000.1234 } }),
    );
    moments.onConversationItem(
      message('assistant', 'Nine to five.', {
        metrics: { startedSpeakingAt: 1_800_000_000.6, e2eLatency: 0.4766 },
      }),
    );
    assert.deepEqual(lines, [
      { callerStoppedAt: 1_800_000_000_123, agentStartedAt: 1_800_000_000_600 },
    ]);
  });

  test('when the agent speaks without a caller turn before it (a greeting, a second reply), then nothing is logged', () => {
    const { lines, moments } = logged();
    moments.onConversationItem(
      message('assistant', 'Hello!', { metrics: { startedSpeakingAt: 1_800_000_000 } }),
    );
    moments.onConversationItem(
      message('user', 'Hours?', { metrics: { stoppedSpeakingAt: 1_800_000_001 } }),
    );
    moments.onConversationItem(
      message('assistant', 'Nine.', { metrics: { startedSpeakingAt: 1_800_000_002 } }),
    );
    moments.onConversationItem(
      message('assistant', 'Anything else?', { metrics: { startedSpeakingAt: 1_800_000_003 } }),
    );
    assert.deepEqual(lines, [
      { callerStoppedAt: 1_800_000_001_000, agentStartedAt: 1_800_000_002_000 },
    ]);
  });
});
