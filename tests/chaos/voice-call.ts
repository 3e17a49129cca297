import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Persona } from '@parley/contracts';
import type { TestStack } from '../support/stack-env.js';
import { UtteranceBank, VoiceSession } from '../support/voice-session.js';

/** Flite speech for one suite, kept in a temporary folder until `dispose()`. */
export async function suiteUtterances(): Promise<{
  utterances: UtteranceBank;
  dispose(): Promise<void>;
}> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-chaos-speech-'));
  return {
    utterances: new UtteranceBank(dir),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}

/** A headless visitor in a fresh call with `persona`, once the greeting has played out. */
export async function callIn(stack: TestStack, persona: Persona): Promise<VoiceSession> {
  const session = await VoiceSession.open(stack, persona.id);
  try {
    await session.waitForGreeting(60_000);
  } catch (error) {
    await session.close();
    throw error;
  }
  return session;
}

/** The knowledge answer of `persona` to `question`. */
export function answerOf(persona: Persona, question: string): string {
  const entry = persona.knowledge.find((k) => k.question === question);
  assert.ok(entry, `persona ${persona.id} has no answer to "${question}"`);
  return entry.answer;
}

export interface Answer {
  /** `performance.now()` when the visitor's last word had been sent. */
  speechEndAt: number;
  /** From then to the first audible sound of the agent's reply. */
  replyMs: number;
}

/** Says one of `persona`'s knowledge questions and waits for its answer to be spoken. */
export async function ask(
  session: VoiceSession,
  utterances: UtteranceBank,
  persona: Persona,
  question: string,
): Promise<Answer> {
  const answer = answerOf(persona, question);
  const { visitor } = session;
  const before = visitor.transcript('agent').length;
  const said = () => visitor.transcript('agent').slice(before);
  const sample = await session.turn(await utterances.get(question), { replyTimeoutMs: 60_000 });
  // the transcript may trail the audio a little
  await visitor
    .waitUntil(`the answer to "${question}"`, () => said().includes(answer), 10_000)
    .catch(() => undefined);
  assert.ok(said().includes(answer), `no answer to "${question}"; the agent said "${said()}"`);
  assert.ok(sample.v2vMs !== undefined, `the reply to "${question}" was not heard`);
  return { speechEndAt: sample.speechEndAt, replyMs: sample.v2vMs };
}
