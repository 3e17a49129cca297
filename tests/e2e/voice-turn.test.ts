import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { dispose } from '@livekit/rtc-node';
import type { Persona, SessionResponse } from '@parley/contracts';
import { HeadlessVisitor } from '../support/headless-visitor.js';
import { personaOf, testStack, words, type TestStack } from '../support/stack-env.js';
import { padWithSilence, synthesize } from '../support/wav.js';

const QUESTION = 'Do you offer free shipping?';

let stack: TestStack;
let persona: Persona;
const visitor = new HeadlessVisitor();

before(async () => {
  stack = await testStack();
  persona = await personaOf(stack);
});

after(async () => {
  await visitor.leave();
  // rtc-node's native side keeps the process alive until it is disposed.
  await dispose();
  await stack.release();
});

test('a visitor hears the greeting, asks a question by voice, and hears the knowledge answer', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-voice-'));
  const question = await synthesize(QUESTION, path.join(dir, 'question.wav'));

  const res = await fetch(`${stack.url}/v1/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ persona: 'default', visitor: { name: 'Test' } }),
  });
  assert.equal(res.status, 201);
  await visitor.join((await res.json()) as SessionResponse);
  await visitor.publishMicrophone(question.sampleRate);

  // The greeting: its text as the agent's transcript, and real (non-silent) audio.
  await visitor.waitUntil(
    'the greeting transcript',
    () => visitor.transcript('agent').includes(persona.greeting),
    60_000,
  );
  await visitor.waitUntil('greeting audio', () => visitor.agentSoundMs > 1000, 30_000);
  await visitor.waitUntil('the agent to listen', () => visitor.agentState === 'listening', 30_000);

  const soundBeforeQuestion = visitor.agentSoundMs;
  await visitor.speak(padWithSilence(question, 0.3, 2));

  const expected = persona.knowledge.find((k) => k.question === 'Do you offer free shipping?');
  assert.ok(expected, 'the default persona answers the shipping question');
  await visitor.waitUntil(
    'the knowledge answer in the agent transcript',
    () => visitor.transcript('agent').includes(expected.answer),
    60_000,
  );
  const heard = words(visitor.transcript('user'));
  for (const key of ['free', 'shipping']) {
    assert.ok(heard.includes(key), `user transcript "${heard.join(' ')}" lacks "${key}"`);
  }
  // The answer was spoken, not only written: at least a second more of agent audio.
  await visitor.waitUntil(
    'answer audio',
    () => visitor.agentSoundMs > soundBeforeQuestion + 1000,
    30_000,
  );
  assert.deepEqual(visitor.failures, []);
});
