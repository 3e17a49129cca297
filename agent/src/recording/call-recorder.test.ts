import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { backoffDelay, CallRecorder, type CallRecorderOptions } from './call-recorder.js';
import {
  AGENT_KEY,
  DroppingProxy,
  memoryLogger,
  ParleyTestServer,
} from '../../test/parley-test-server.js';
import { parseJournal } from './spool-journal.js';
import { flushSpool } from './spool-flusher.js';

let server: ParleyTestServer;
let spoolRoot: string;

before(async () => {
  server = await ParleyTestServer.start();
  spoolRoot = await mkdtemp(path.join(os.tmpdir(), 'parley-spool-'));
});

after(async () => {
  await server.stop();
  await rm(spoolRoot, { recursive: true, force: true });
});

/** A recorder for a new room, with quick retries and its own spool directory. */
async function startRecorder(overrides: Partial<CallRecorderOptions> = {}) {
  const spoolDir = path.join(spoolRoot, randomUUID());
  const roomName = `web_${randomUUID()}`;
  const logger = memoryLogger();
  const recorder = await CallRecorder.start({
    serverUrl: server.url,
    agentKey: AGENT_KEY,
    call: { personaId: 'default', channel: 'web', roomName, caller: { name: 'Ada' } },
    spoolDir,
    backoff: { initialMs: 5, maxMs: 50 },
    logger,
    ...overrides,
  });
  return { recorder, roomName, spoolDir, logger };
}

const greeting = { agentText: 'Hello, how can I help?', timings: { ttsFirstByteMs: 120 } };
const question = {
  userText: 'Where is my order?',
  agentText: 'It ships tomorrow.',
  timings: { endOfTurnMs: 400, transcriptionMs: 90, llmFirstTokenMs: 300, e2eMs: 1100 },
  toolCalls: [{ name: 'lookup_order', args: { id: 'A-17' }, result: { status: 'packed' } }],
};
const cutOff = { userText: 'Wait—', agentText: 'Sure, I', interrupted: true };

describe('CallRecorder', () => {
  test('when a call is recorded, then its turns are stored in order with timings and tool calls, and it is closed', async () => {
    const { recorder, roomName, spoolDir } = await startRecorder();
    await recorder.appendTurn(greeting);
    await recorder.appendTurn(question);
    await recorder.appendTurn(cutOff);
    const report = await recorder.close({
      outcome: 'completed',
      summary: 'Asked about an order.',
      leadTemperature: 'warm',
      costUsd: 0.0123,
    });

    assert.deepEqual(report, { callId: recorder.callId, drained: true, pending: 0 });
    const call = await server.callOfRoom(roomName);
    assert.ok(call);
    assert.equal(call.id, recorder.callId);
    assert.equal(call.status, 'ended');
    assert.equal(call.outcome, 'completed');
    assert.equal(call.summary, 'Asked about an order.');
    assert.equal(call.leadTemperature, 'warm');
    assert.equal(call.costUsd, 0.0123);
    assert.equal(call.caller.name, 'Ada');
    assert.equal(typeof call.durationMs, 'number');
    assert.deepEqual(
      call.turns.map((t) => [t.seq, t.userText, t.agentText, t.interrupted]),
      [
        [1, undefined, greeting.agentText, false],
        [2, question.userText, question.agentText, false],
        [3, cutOff.userText, cutOff.agentText, true],
      ],
    );
    const [prefix] = call.turns.map((t) => t.idempotencyKey.replace(/:\d+$/, ''));
    assert.match(prefix ?? '', new RegExp(`^${roomName}:[0-9a-f]{8}$`));
    assert.deepEqual(
      call.turns.map((t) => t.idempotencyKey),
      [1, 2, 3].map((n) => `${prefix}:${n}`),
    );
    assert.deepEqual(call.turns[0]?.timings, greeting.timings);
    assert.deepEqual(call.turns[1]?.timings, question.timings);
    assert.deepEqual(call.turns[1]?.toolCalls, question.toolCalls);
    assert.deepEqual(await readdir(spoolDir), [], 'the finished journal is removed');
  });

  test('when the answer to an append is lost after the server stored it, then the retry does not duplicate the turn', async () => {
    const proxy = await DroppingProxy.start(server.url);
    try {
      proxy.dropAnswers(/\/turns$/, 1);
      const { recorder, roomName } = await startRecorder({ serverUrl: proxy.url });
      await recorder.appendTurn(greeting);
      await recorder.appendTurn(question);
      const report = await recorder.close({ outcome: 'completed' });

      assert.equal(report.drained, true);
      assert.equal(proxy.count(/\/turns$/), 3, 'the first append was sent twice');
      const call = await server.callOfRoom(roomName);
      assert.deepEqual(
        call?.turns.map((t) => t.agentText),
        [greeting.agentText, question.agentText],
      );
    } finally {
      await proxy.stop();
    }
  });

  test('when the answer to the create is lost, then the retry answers the same call', async () => {
    const proxy = await DroppingProxy.start(server.url);
    try {
      proxy.dropAnswers(/^\/internal\/calls$/, 1);
      const { recorder, roomName } = await startRecorder({ serverUrl: proxy.url });
      await recorder.appendTurn(greeting);
      assert.equal((await recorder.close({ outcome: 'completed' })).drained, true);

      assert.equal(proxy.count(/calls$/), 2);
      const call = await server.callOfRoom(roomName);
      assert.equal(call?.id, recorder.callId);
      assert.equal(call?.turns.length, 1);
    } finally {
      await proxy.stop();
    }
  });

  test('when a room is recorded again by a second agent (the job was dispatched again), then its turns are added, not taken for retries', async () => {
    const first = await startRecorder();
    await first.recorder.appendTurn(greeting);
    await first.recorder.whenIdle();
    const second = await startRecorder({
      call: { personaId: 'default', channel: 'web', roomName: first.roomName },
    });
    await second.recorder.appendTurn(question);
    await second.recorder.close({ outcome: 'completed' });

    assert.equal(second.recorder.callId, first.recorder.callId);
    const call = await server.callOfRoom(first.roomName);
    assert.deepEqual(
      call?.turns.map((t) => t.agentText),
      [greeting.agentText, question.agentText],
    );
  });

  test('when the server refuses a turn for good, then it is dropped after one attempt and later turns are stored', async () => {
    const proxy = await DroppingProxy.start(server.url);
    try {
      const { recorder, roomName, logger } = await startRecorder({ serverUrl: proxy.url });
      await recorder.appendTurn(greeting);
      await recorder.appendTurn({ agentText: 'x'.repeat(10_001) });
      await recorder.appendTurn(question);
      const report = await recorder.close({ outcome: 'completed' });

      assert.equal(report.drained, true);
      assert.equal(proxy.count(/\/turns$/), 3);
      const call = await server.callOfRoom(roomName);
      assert.deepEqual(
        call?.turns.map((t) => t.agentText),
        [greeting.agentText, question.agentText],
      );
      assert.equal(call?.status, 'ended');
      assert.ok(logger.lines.some((l) => l.level === 'error' && /refused/.test(l.msg)));
    } finally {
      await proxy.stop();
    }
  });

  test('when the call record itself is refused (unknown persona), then nothing is retried and nothing stays spooled', async () => {
    const proxy = await DroppingProxy.start(server.url);
    try {
      const { recorder, spoolDir } = await startRecorder({
        serverUrl: proxy.url,
        call: { personaId: 'nobody', channel: 'phone', roomName: `sip_${randomUUID()}` },
      });
      await recorder.appendTurn(greeting);
      const report = await recorder.close({ outcome: 'completed' });

      assert.deepEqual(report, { callId: undefined, drained: true, pending: 0 });
      assert.deepEqual(proxy.requests, ['POST /internal/calls']);
      assert.deepEqual(await readdir(spoolDir), []);
    } finally {
      await proxy.stop();
    }
  });

  test('when the server is back during the call, then the recorder delivers what waited', async () => {
    await server.pause();
    const { recorder, roomName } = await startRecorder();
    try {
      await recorder.appendTurn(greeting);
      await recorder.appendTurn(question);
    } finally {
      await server.resume();
    }
    await recorder.whenIdle();
    assert.deepEqual(
      (await server.callOfRoom(roomName))?.turns.map((t) => t.seq),
      [1, 2],
    );
    assert.equal((await recorder.close({ outcome: 'completed' })).drained, true);
  });

  test('when the server stays unreachable past the end of the call, then close() leaves the rest spooled and flushSpool stores it exactly once', async () => {
    const { recorder, roomName, spoolDir } = await startRecorder({ drainTimeoutMs: 100 });
    await recorder.whenIdle();
    const journal = recorder.journalPath;
    assert.ok(journal);
    await server.pause();
    let report;
    try {
      await recorder.appendTurn(greeting);
      await recorder.appendTurn(question);
      await recorder.appendTurn(cutOff);
      report = await recorder.close({ outcome: 'abandoned' });
    } finally {
      await server.resume();
    }

    assert.deepEqual(report, { callId: recorder.callId, drained: false, pending: 4 });
    const spooled = parseJournal(await readFile(journal, 'utf8'));
    assert.deepEqual(
      spooled.ops.filter((o) => !spooled.acked.has(o.n)).map((o) => o.op.type),
      ['turn', 'turn', 'turn', 'close'],
    );
    assert.deepEqual((await server.callOfRoom(roomName))?.turns, []);

    const flushed = await flushSpool({
      serverUrl: server.url,
      agentKey: AGENT_KEY,
      spoolDir,
      logger: memoryLogger(),
    });
    assert.deepEqual(flushed, { completed: 1, busy: 0, deferred: 0, sent: 4, dropped: 0 });
    const again = await flushSpool({ serverUrl: server.url, agentKey: AGENT_KEY, spoolDir });
    assert.equal(again.sent, 0);

    const call = await server.callOfRoom(roomName);
    assert.deepEqual(
      call?.turns.map((t) => [t.seq, t.agentText]),
      [
        [1, greeting.agentText],
        [2, question.agentText],
        [3, cutOff.agentText],
      ],
    );
    assert.equal(call?.outcome, 'abandoned');
    assert.deepEqual(await readdir(spoolDir), []);
  });

  test('when the server is down from the start, then the create is spooled too and replayed first', async () => {
    await server.pause();
    let setup;
    try {
      setup = await startRecorder({ drainTimeoutMs: 50 });
      await setup.recorder.appendTurn(greeting);
      assert.equal((await setup.recorder.close({ outcome: 'completed' })).pending, 3);
    } finally {
      await server.resume();
    }
    const { roomName, spoolDir } = setup;
    const flushed = await flushSpool({
      serverUrl: server.url,
      agentKey: AGENT_KEY,
      spoolDir,
      logger: memoryLogger(),
    });
    assert.equal(flushed.sent, 3);
    const call = await server.callOfRoom(roomName);
    assert.deepEqual(
      call?.turns.map((t) => t.agentText),
      [greeting.agentText],
    );
    assert.equal(call?.status, 'ended');
  });
});

describe('backoffDelay', () => {
  test('when attempts repeat, then the delay doubles up to the cap and is jittered within its step', () => {
    const backoff = { initialMs: 100, maxMs: 1_000 };
    const delays = (random: number) =>
      [1, 2, 3, 4, 5, 30].map((attempt) => backoffDelay(attempt, backoff, () => random));
    assert.deepEqual(delays(0), [50, 100, 200, 400, 500, 500]);
    assert.deepEqual(delays(0.5), [75, 150, 300, 600, 750, 750]);
  });
});
