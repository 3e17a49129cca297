/**
 * VoiceSession on the real stack: the timings it reports, and that it notices a call dropped
 * under it. Its speech splitting is checked without the stack.
 */
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { dispose } from '@livekit/rtc-node';
import { RoomServiceClient } from 'livekit-server-sdk';
import type { Persona } from '@parley/contracts';
import { callOfRoom, eventually } from './calls.js';
import { personaOf, testStack, type TestStack } from './stack-env.js';
import { padWithSilence, synthesize } from './wav.js';
import { speechEnd, UtteranceBank, VoiceSession, VoiceSessionError } from './voice-session.js';

const SHIPPING = 'Do you offer free shipping?';

let dir: string;

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'parley-voice-session-'));
});

describe('speechEnd', () => {
  test('finds where Flite speech ends, whatever silence pads it', async () => {
    const speech = await synthesize(SHIPPING, path.join(dir, 'raw.wav'));
    const end = speechEnd(speech);
    assert.ok(end > speech.samples.length / 2 && end <= speech.samples.length, `end ${end}`);
    const lead = 0.3 * speech.sampleRate;
    const padded = padWithSilence(speech, 0.3, 1.5);
    assert.equal(speechEnd(padded), lead + end);
  });

  test('silence alone has no speech', () => {
    assert.equal(speechEnd({ sampleRate: 16_000, samples: new Int16Array(16_000) }), 0);
  });
});

describe('a voice session on the stack', () => {
  let stack: TestStack;
  let persona: Persona;
  const sessions: VoiceSession[] = [];
  const open = async () => {
    const session = await VoiceSession.open(stack, persona.id);
    sessions.push(session);
    await session.waitForGreeting(60_000);
    return session;
  };

  before(async () => {
    stack = await testStack();
    persona = await personaOf(stack);
  });

  after(async () => {
    for (const session of sessions) await session.close();
    await dispose();
    await stack.release();
  });

  test('times the greeting and a turn, and the record holds both', async () => {
    const session = await open();
    assert.ok(session.greetingMs !== undefined && session.greetingMs > 0);
    const utterance = await new UtteranceBank(dir).get(SHIPPING);
    const turn = await session.turn(utterance);

    const answer = persona.knowledge.find((k) => k.question === SHIPPING)?.answer;
    assert.ok(answer);
    assert.equal(turn.utterance, SHIPPING);
    assert.ok(turn.replyText.includes(answer), `heard "${turn.replyText}"`);
    assert.ok(turn.firstReplyAt !== undefined && turn.firstReplyAt > turn.speechEndAt);
    assert.equal(turn.v2vMs, turn.firstReplyAt - turn.speechEndAt);
    // The agent answers after the caller stopped, never before their speech ended.
    assert.ok((turn.v2vMs ?? 0) > 0);
    assert.equal(session.visitor.agentState, 'listening', 'the reply has played out');

    await session.close();
    const call = await eventually(
      'the record closed',
      () => callOfRoom(stack, session.roomName),
      (c) => c.status === 'ended',
      30_000,
    );
    assert.deepEqual(
      call.turns.map((t) => [Boolean(t.userText), t.agentText?.includes(answer) ?? false]),
      [
        [false, false],
        [true, true],
      ],
    );
    assert.equal(session.droppedReason, undefined, 'hanging up is not a drop');
  });

  test('when the room is deleted under the visitor, then the call counts as dropped', async () => {
    const session = await open();
    const rooms = new RoomServiceClient(
      stack.livekitUrl.replace(/^ws/, 'http'),
      stack.secrets.livekitApiKey,
      stack.secrets.livekitApiSecret,
    );
    assert.equal(session.droppedReason, undefined);
    await rooms.deleteRoom(session.roomName);
    await eventually(
      'the drop noticed',
      async () => session.droppedReason,
      (reason) => reason !== undefined,
      20_000,
    );
    assert.match(session.droppedReason ?? '', /agent left|room ended/);
    const utterance = await new UtteranceBank(dir).get(SHIPPING);
    await assert.rejects(
      session.turn(utterance),
      (error) => error instanceof VoiceSessionError && error.code === 'call_dropped',
    );
  });
});
