/**
 * A cloud provider goes down mid-call. The agent runs Deepgram, OpenAI and Cartesia (their
 * protocol fakes, which do the work with the offline engines), each chained to its offline
 * engine. In one call per stage the provider stops listening (connection refused, open
 * connections cut) between two questions: the next answer must come through the offline engine,
 * quickly, and the call goes on.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { dispose } from '@livekit/rtc-node';
import type { Persona } from '@parley/contracts';
import {
  pocketSphinxPaths,
  startFakeCloud,
  type FakeCloud,
  type FakeControl,
} from '@parley/test-fakes';
import { callOfRoom, eventually } from '../support/calls.js';
import { personaOf } from '../support/stack-env.js';
import type { UtteranceBank } from '../support/voice-session.js';
import { startChaosStack, type ChaosStack } from './chaos-stack.js';
import { figure } from './figures.js';
import { answerOf, ask, callIn, suiteUtterances } from './voice-call.js';

const SUITE = 'provider-outage';
/** The figure: the fallback engine answers within 2 s. */
const FALLBACK_TARGET_MS = 2_000;
/**
 * Questions the end-of-turn model takes as finished at once, so the replies compare. (After "What
 * are your opening hours?" it waits the longest endpointing delay.)
 */
const BEFORE = 'Where are you located?';
const DURING = 'Do you offer free shipping?';
const STILL_DOWN = 'How can I return an item?';

let cloud: FakeCloud;
let stack: ChaosStack;
let persona: Persona;
let speech: Awaited<ReturnType<typeof suiteUtterances>>;
let utterances: UtteranceBank;

before(async () => {
  speech = await suiteUtterances();
  utterances = speech.utterances;
  cloud = await startFakeCloud(pocketSphinxPaths());
  stack = await startChaosStack(SUITE, 1, { agentEnv: cloud.env });
  persona = await personaOf(stack);
  assert.deepEqual(persona.providers, { stt: 'auto', llm: 'auto', tts: 'auto' });
});

after(async () => {
  await dispose();
  await stack?.release();
  await cloud?.stop();
  await speech?.dispose();
});

const STAGES: { stage: 'stt' | 'llm' | 'tts'; engine: string; fake: () => FakeControl }[] = [
  { stage: 'stt', engine: 'deepgram', fake: () => cloud.deepgram },
  { stage: 'llm', engine: 'openai', fake: () => cloud.openai },
  { stage: 'tts', engine: 'cartesia', fake: () => cloud.cartesia },
];

describe('a provider outage mid-call', () => {
  for (const { stage, engine, fake } of STAGES) {
    test(`when ${engine} (${stage.toUpperCase()}) goes down, the offline engine answers the next question and the call goes on`, async (t) => {
      const requestsBefore = fake().requests.length;
      const call = await callIn(stack, persona);
      t.after(() => call.close());
      const normal = await ask(call, utterances, persona, BEFORE);
      assert.ok(fake().requests.length > requestsBefore, `${engine} served the call so far`);
      figure(t, SUITE, `${stage}: reply with every provider up`, normal.replyMs);

      const switched = stack.nextLine(
        'agent',
        new RegExp(
          `"stage":"${stage}","engine":"${engine}".*the next engine in the chain takes over`,
        ),
        60_000,
      );
      await fake().setDown(true);
      t.after(() => fake().setDown(false));
      // For STT the question goes into the dying stream: a Deepgram stream whose socket died
      // says nothing, the agent gives up on it after 3 s of unanswered speech
      // (stall-guard-stt.ts), and PocketSphinx hears the question from its first word
      // (replaying-stt-fallback.ts). It is answered without being asked again.
      const during = await ask(call, utterances, persona, DURING);
      const { at: switchedAt } = await switched;
      figure(
        t,
        SUITE,
        `${stage}: end of the question to the engine switch`,
        switchedAt - during.speechEndAt,
      );
      figure(
        t,
        SUITE,
        `${stage}: reply through the fallback engine`,
        during.replyMs,
        FALLBACK_TARGET_MS,
      );

      await ask(call, utterances, persona, STILL_DOWN);
      assert.equal(call.droppedReason, undefined, 'the call is still up');
      await call.close();
      const record = await eventually(
        'the call record closed',
        () => callOfRoom(stack, call.roomName),
        (c) => c.status === 'ended',
        30_000,
      );
      assert.equal(record.closedBy, 'agent');
      const answered = record.turns.filter((turn) => turn.userText);
      for (const turn of answered) {
        t.diagnostic(`stored turn "${turn.userText}": ${JSON.stringify(turn.timings)}`);
      }
      assert.deepEqual(
        answered.map((turn) => turn.agentText),
        [BEFORE, DURING, STILL_DOWN].map((question) => answerOf(persona, question)),
        'every question was answered once, and stored',
      );
      assert.match(
        answered[1]?.userText ?? '',
        /do you offer free shipping/i,
        'the question asked during the outage was heard from its first word',
      );
    });
  }
});
