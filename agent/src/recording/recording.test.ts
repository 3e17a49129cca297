import {
  type APIConnectOptions,
  DEFAULT_API_CONNECT_OPTIONS,
  initializeLogger,
  llm,
  voice,
} from '@livekit/agents';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { z } from 'zod';
import { CallRecorder } from './call-recorder.js';
import { AGENT_KEY, memoryLogger, ParleyTestServer } from '../../test/parley-test-server.js';
import { attachRecorder } from './recording.js';

/**
 * A stand-in model speaking LiveKit's LLM interface: it says "Let me check." and calls
 * `lookup_order`, then reads the tool's output back — enough to drive a real `AgentSession`
 * through user, assistant and tool events, in text mode (no room, no audio).
 */
class OrderDeskLLM extends llm.LLM {
  label(): string {
    return 'test.order-desk';
  }

  override get provider(): string {
    return 'order-desk';
  }

  chat(opts: {
    chatCtx: llm.ChatContext;
    toolCtx?: llm.ToolContextLike;
    connOptions?: APIConnectOptions;
  }): llm.LLMStream {
    return new OrderDeskStream(this, { connOptions: DEFAULT_API_CONNECT_OPTIONS, ...opts });
  }
}

class OrderDeskStream extends llm.LLMStream {
  protected async run(): Promise<void> {
    const last = this.chatCtx.items.at(-1);
    const usage = {
      completionTokens: 500,
      promptTokens: 1500,
      promptCachedTokens: 0,
      totalTokens: 2000,
    };
    if (last?.type === 'function_call_output') {
      this.queue.put({
        id: 'reply',
        delta: { role: 'assistant', content: `It is ${String(JSON.parse(last.output))}.` },
        usage,
      });
      return;
    }
    const call = llm.FunctionCall.create({
      callId: 'c1',
      name: 'lookup_order',
      args: '{"id":"A-17"}',
    });
    this.queue.put({ id: 'check', delta: { role: 'assistant', content: 'Let me check.' } });
    this.queue.put({ id: 'check', delta: { role: 'assistant', toolCalls: [call] }, usage });
  }
}

const orderDesk = () =>
  new voice.Agent({
    instructions: 'Answer questions about orders.',
    tools: {
      lookup_order: llm.tool({
        description: 'Looks an order up.',
        parameters: z.object({ id: z.string() }),
        execute: async () => 'packed',
      }),
    },
  });

let server: ParleyTestServer;
let spoolDir: string;

before(async () => {
  initializeLogger({ pretty: false, level: 'fatal' });
  server = await ParleyTestServer.start();
  spoolDir = await mkdtemp(path.join(os.tmpdir(), 'parley-recording-'));
});

after(async () => {
  await server.stop();
  await rm(spoolDir, { recursive: true, force: true });
});

async function startCall() {
  const roomName = `web_${randomUUID()}`;
  const recorder = await CallRecorder.start({
    serverUrl: server.url,
    agentKey: AGENT_KEY,
    call: { personaId: 'default', channel: 'web', roomName },
    spoolDir,
    logger: memoryLogger(),
  });
  const session = new voice.AgentSession({ llm: new OrderDeskLLM() });
  return { roomName, recorder, session };
}

describe('attachRecorder', () => {
  test('when a session greets, answers with a tool and closes, then the record holds each turn and is closed with outcome and cost', async () => {
    const { roomName, recorder, session } = await startCall();
    const recording = attachRecorder(session, recorder, {
      rates: { 'order-desk': { kind: 'llm', usdPerMillionInput: 1, usdPerMillionOutput: 4 } },
      insights: (turns) => ({ summary: `${turns.length} turns`, leadTemperature: 'hot' }),
    });
    await session.start({ agent: orderDesk() });
    await session.say('Hello! How can I help?').waitForPlayout();
    await session.run({ userInput: 'Where is my order?' }).wait();
    await session.close();
    const report = await recording.end();

    assert.equal(report.drained, true);
    const call = await server.callOfRoom(roomName);
    assert.deepEqual(
      call?.turns.map((t) => [t.seq, t.userText, t.agentText, t.toolCalls]),
      [
        [1, undefined, 'Hello! How can I help?', []],
        [2, 'Where is my order?', 'Let me check.', []],
        [
          3,
          undefined,
          'It is packed.',
          [{ name: 'lookup_order', args: { id: 'A-17' }, result: 'packed' }],
        ],
      ],
    );
    assert.ok(call?.turns.every((t) => Object.values(t.timings).every((ms) => ms >= 0)));
    assert.equal(typeof call?.turns[1]?.timings.llmFirstTokenMs, 'number');
    assert.equal(call?.status, 'ended');
    assert.equal(call?.outcome, 'completed');
    assert.equal(call?.summary, '3 turns');
    assert.equal(call?.leadTemperature, 'hot');
    // Two replies of 1500 tokens in and 500 out: 3000 × $1/M + 1000 × $4/M.
    assert.equal(call?.costUsd, 0.007);
  });

  test('when the session closes before the caller says anything, then the call is abandoned', async () => {
    const { roomName, recorder, session } = await startCall();
    const recording = attachRecorder(session, recorder);
    await session.start({ agent: orderDesk() });
    await session.say('Hello! How can I help?').waitForPlayout();
    await session.close();
    await recording.end();

    const call = await server.callOfRoom(roomName);
    assert.equal(call?.outcome, 'abandoned');
    assert.equal(call?.turns.length, 1);
    assert.equal(call?.costUsd, 0);
  });

  test('when the worker ends the recording itself with an outcome set, then that outcome is recorded once', async () => {
    const { roomName, recorder, session } = await startCall();
    const recording = attachRecorder(session, recorder);
    await session.start({ agent: orderDesk() });
    recording.setOutcome('transferred');
    const [first, second] = await Promise.all([recording.end(), recording.end(true)]);
    assert.equal(first, second);
    await session.close();

    const call = await server.callOfRoom(roomName);
    assert.equal(call?.outcome, 'transferred');
  });

  test('when the post-call analysis never answers, then the record is closed without it', async () => {
    const { roomName, recorder, session } = await startCall();
    const logger = memoryLogger();
    const recording = attachRecorder(session, recorder, {
      insights: () => new Promise(() => undefined),
      insightsTimeoutMs: 10,
      logger,
    });
    await session.start({ agent: orderDesk() });
    await session.close();
    assert.equal((await recording.end()).drained, true);

    const call = await server.callOfRoom(roomName);
    assert.equal(call?.status, 'ended');
    assert.equal(call?.summary, undefined);
    assert.ok(logger.lines.some((l) => /insights failed/.test(l.msg)));
  });
});
