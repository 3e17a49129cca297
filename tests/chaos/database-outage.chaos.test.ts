/**
 * PostgreSQL goes away for 30 s in the middle of two calls. The agents keep talking and journal
 * every turn in their spool; one visitor hangs up during the outage (its close waits in the
 * journal for the worker's flusher), the other goes on talking after the database is back. In
 * the end both records hold every turn exactly once and are closed by their agent.
 */
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { dispose } from '@livekit/rtc-node';
import type { Persona } from '@parley/contracts';
import { startPostgres, type ThrowawayPostgres } from '../../scripts/lib/postgres.js';
import { callOfRoom, eventually, type StoredCall } from '../support/calls.js';
import { personaOf } from '../support/stack-env.js';
import { startChaosStack, type ChaosStack } from './chaos-stack.js';
import { figure } from './figures.js';
import type { UtteranceBank, VoiceSession } from '../support/voice-session.js';
import { answerOf, ask, callIn, suiteUtterances } from './voice-call.js';

const SUITE = 'database-outage';
const OUTAGE_MS = 30_000;
const BEFORE = 'What are your opening hours?';
const DURING = ['Do you offer free shipping?', 'Where are you located?'];
const AFTER = 'How can I return an item?';

let postgres: ThrowawayPostgres;
let stack: ChaosStack;
let persona: Persona;
let speech: Awaited<ReturnType<typeof suiteUtterances>>;
let utterances: UtteranceBank;

before(async () => {
  speech = await suiteUtterances();
  utterances = speech.utterances;
  postgres = await startPostgres();
  stack = await startChaosStack(SUITE, 2, {
    serverEnv: { DATABASE_URL: postgres.url },
    // the worker replays left-over journals every 2 s rather than every 30 s
    agentEnv: { PARLEY_SPOOL_FLUSH_INTERVAL_MS: '2000' },
  });
  persona = await personaOf(stack);
});

after(async () => {
  await dispose();
  await stack?.release();
  await postgres?.stop();
  await speech?.dispose();
});

/** The questions a stored call's caller turns answered, in order. */
function answersOf(call: StoredCall): (string | undefined)[] {
  return call.turns.filter((turn) => turn.userText).map((turn) => turn.agentText);
}

const answers = (questions: string[]) => questions.map((q) => answerOf(persona, q));

test('when PostgreSQL is down for 30 s mid-call, every turn is stored once it is back, and both calls close normally', async (t) => {
  const calls: VoiceSession[] = [];
  t.after(() => Promise.all(calls.map((call) => call.close())));
  for (let i = 0; i < 2; i++) calls.push(await callIn(stack, persona));
  const [leaving, staying] = calls as [VoiceSession, VoiceSession];
  for (const call of calls) await ask(call, utterances, persona, BEFORE);
  for (const { roomName } of calls) {
    await eventually(
      'the first turn stored',
      () => callOfRoom(stack, roomName),
      (c) => answersOf(c).length === 1,
      20_000,
    );
  }

  await postgres.down();
  const downAt = performance.now();
  const listing = await fetch(`${stack.url}/v1/calls`, {
    headers: { authorization: `Bearer ${stack.secrets.adminKey}` },
  });
  assert.equal(listing.status, 500, 'the server cannot read its database');

  // Both visitors go on talking; one hangs up before the database is back.
  await Promise.all(
    calls.map(async (call) => {
      for (const question of DURING) await ask(call, utterances, persona, question);
    }),
  );
  await leaving.close();
  const journals = (await readdir(stack.spoolDir)).filter((name) => name.endsWith('.jsonl'));
  assert.equal(journals.length, 2, `both calls are journaled: ${journals.join(', ')}`);
  const talkedMs = performance.now() - downAt;
  assert.ok(
    talkedMs < OUTAGE_MS,
    `the turns took ${Math.round(talkedMs)} ms, longer than the outage`,
  );
  figure(t, SUITE, 'two turns in each of two calls while the database was down', talkedMs);
  await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS - talkedMs));
  await postgres.up();
  const upAt = performance.now();
  figure(t, SUITE, 'database outage', upAt - downAt);

  const left = await eventually(
    'the call that ended in the outage, stored whole and closed by its agent',
    () => callOfRoom(stack, leaving.roomName),
    (c) => c.status === 'ended' && answersOf(c).length >= 3,
    60_000,
  );
  figure(t, SUITE, 'database back to the spooled call stored and closed', performance.now() - upAt);
  assert.equal(left.closedBy, 'agent');
  assert.notEqual(left.outcome, 'failed');
  assert.deepEqual(answersOf(left), answers([BEFORE, ...DURING]));

  await eventually(
    'the turns of the ongoing call stored',
    () => callOfRoom(stack, staying.roomName),
    (c) => answersOf(c).length >= 3,
    30_000,
  );
  figure(t, SUITE, 'database back to the ongoing call caught up', performance.now() - upAt);
  await ask(staying, utterances, persona, AFTER);
  await staying.close();
  const stayed = await eventually(
    'the ongoing call closed',
    () => callOfRoom(stack, staying.roomName),
    (c) => c.status === 'ended',
    30_000,
  );
  assert.equal(stayed.closedBy, 'agent');
  assert.notEqual(stayed.outcome, 'failed');
  assert.deepEqual(answersOf(stayed), answers([BEFORE, ...DURING, AFTER]));
  for (const call of [left, stayed]) {
    const seqs = call.turns.map((turn) => turn.seq);
    assert.deepEqual(
      seqs,
      [...new Set(seqs)].sort((a, b) => a - b),
      'no turn stored twice',
    );
  }
  await eventually(
    'the spool emptied',
    async () => (await readdir(stack.spoolDir)).filter((name) => name.endsWith('.jsonl')),
    (journalsLeft) => journalsLeft.length === 0,
    20_000,
  );
});
