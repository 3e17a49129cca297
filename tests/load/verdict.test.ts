import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { StoredCall } from '../support/calls.js';
import type { CallLog, TurnLog } from './caller.js';
import { callFailures, memoryFailures, type PersonaLines } from './verdict.js';

const LINES: PersonaLines = { repromptLine: 'Are you still there?' };
const GREETING = 'Hello! How can I help?';
const ROOM = 'web_room';

const turn = (question: string, extra: Partial<TurnLog> = {}): TurnLog => ({
  question,
  at: '2026-01-01T00:00:00.000Z',
  answered: true,
  v2vMs: 900,
  replyText: `answer to ${question}`,
  ...extra,
});

const visit = (extra: Partial<CallLog> = {}): CallLog => ({
  slot: 0,
  long: false,
  startedAt: '2026-01-01T00:00:00.000Z',
  roomName: ROOM,
  greetingMs: 800,
  turns: [turn('Where are you?'), turn('Do you ship?')],
  ...extra,
});

const storedTurn = (userText: string | undefined, agentText: string, interrupted = false) => ({
  seq: 0,
  userText,
  agentText,
  interrupted,
  timings: {},
  toolCalls: [],
});

const record = (extra: Partial<StoredCall> = {}): StoredCall => ({
  id: 'call_1',
  roomName: ROOM,
  status: 'ended',
  outcome: 'completed',
  closedBy: 'agent',
  turns: [
    storedTurn(undefined, GREETING),
    storedTurn('where are you', 'answer'),
    storedTurn('do you ship', 'answer'),
  ],
  ...extra,
});

const failuresOf = (call: CallLog, stored?: StoredCall) =>
  callFailures([call], new Map(stored ? [[ROOM, stored]] : []), LINES);

describe('callFailures', () => {
  test('a call served, answered and stored as lived passes', () => {
    assert.deepEqual(failuresOf(visit(), record()), []);
  });

  test('a call without turns is stored as abandoned, with the greeting alone', () => {
    const stored = record({ outcome: 'abandoned', turns: [storedTurn(undefined, GREETING)] });
    assert.deepEqual(failuresOf(visit({ turns: [] }), stored), []);
    assert.deepEqual(failuresOf(visit({ turns: [] }), record({ turns: stored.turns })), [
      `call ${ROOM}: outcome completed, expected abandoned`,
    ]);
  });

  test('when the agent left mid-call, then the call is dropped and its turn unanswered', () => {
    const call = visit({
      dropped: 'the agent left the room',
      error: { code: 'call_dropped', message: 'gone' },
      turns: [turn('Where are you?'), turn('Do you ship?', { answered: false, error: 'gone' })],
    });
    assert.deepEqual(failuresOf(call, record()), [
      `call ${ROOM}: dropped mid-call (the agent left the room)`,
      `call ${ROOM}: turn 2 "Do you ship?" not answered (gone)`,
    ]);
  });

  test('when the visitor heard the silence reprompt instead of an answer, then the turn fails', () => {
    const call = visit({ turns: [turn('Where are you?', { replyText: 'Are you still there?' })] });
    const stored = record({ turns: record().turns.slice(0, 2) });
    assert.deepEqual(failuresOf(call, stored), [
      `call ${ROOM}: turn 1 "Where are you?" met with "Are you still there?": the agent did not hear it in time`,
    ]);
  });

  test('a call that never got its greeting is reported once, by its error', () => {
    const call = visit({
      greetingMs: undefined,
      turns: [],
      error: { code: 'greeting_timeout', message: 'timed out waiting for the greeting' },
    });
    const stored = record({ outcome: 'abandoned', turns: [] });
    assert.deepEqual(failuresOf(call, stored), [
      `call ${ROOM}: greeting_timeout: timed out waiting for the greeting`,
    ]);
  });

  test('a call that could not be opened names its slot', () => {
    const call = visit({
      roomName: undefined,
      turns: [],
      error: { code: 'error', message: 'POST /v1/sessions → 503' },
    });
    assert.deepEqual(failuresOf(call), [
      'slot 0 call at 2026-01-01T00:00:00.000Z: error: POST /v1/sessions → 503',
    ]);
  });

  test('records missing, still open or closed by LiveKit instead of the agent fail', () => {
    assert.deepEqual(failuresOf(visit()), [`call ${ROOM}: no call record`]);
    assert.deepEqual(failuresOf(visit(), record({ status: 'active' })), [
      `call ${ROOM}: record still active`,
    ]);
    assert.deepEqual(failuresOf(visit(), record({ closedBy: 'livekit' })), [
      `call ${ROOM}: record closed by livekit, not by the agent`,
    ]);
  });

  test('a record with turns other than the visit (a lost turn, a doubled reply) fails', () => {
    const lost = record({ turns: record().turns.slice(0, 2) });
    assert.deepEqual(failuresOf(visit(), lost), [
      `call ${ROOM}: record has 1 caller turns, the visitor spoke 2`,
    ]);
    const doubled = record({
      turns: [...record().turns.slice(0, 2), storedTurn(undefined, "I'm sorry", true)].concat(
        record().turns.slice(2),
      ),
    });
    assert.deepEqual(failuresOf(visit(), doubled), [
      `call ${ROOM}: record has 2 agent-only turns, expected the greeting alone: ` +
        `"${GREETING}", "I'm sorry" (cut off)`,
    ]);
    const unanswered = record({
      turns: [
        ...record().turns.slice(0, 2),
        { ...storedTurn('do you ship', ''), agentText: undefined },
      ],
    });
    assert.deepEqual(failuresOf(visit(), unanswered), [
      `call ${ROOM}: record has 1 turns without a reply`,
    ]);
  });
});

describe('memoryFailures', () => {
  const trend = (growth: number) => ({
    middleMeanBytes: 100 * 1024 * 1024,
    lastMeanBytes: (1 + growth) * 100 * 1024 * 1024,
    growth,
    minBytes: 0,
    maxBytes: 0,
  });

  test('growth below the limit passes; at or above it fails with the figures', () => {
    assert.deepEqual(memoryFailures([{ label: 'server', trend: trend(0.09), maxGrowth: 0.1 }]), []);
    assert.deepEqual(memoryFailures([{ label: 'server', trend: trend(0.25), maxGrowth: 0.1 }]), [
      'memory: server grew 25.0 % from the middle to the last third of the steady load ' +
        '(100 MB → 125 MB), limit 10 %',
    ]);
  });

  test('a component without a trend fails: flatness was not shown', () => {
    assert.deepEqual(memoryFailures([{ label: 'server', trend: undefined, maxGrowth: 0.1 }]), [
      'memory: too few samples of server to tell its trend',
    ]);
  });
});
