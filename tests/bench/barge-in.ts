import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Persona } from '@parley/contracts';
import { openSession, putPersona } from '../support/calls.js';
import { HeadlessVisitor } from '../support/headless-visitor.js';
import type { TestStack } from '../support/stack-env.js';
import { STORY, storyteller } from '../support/storyteller.js';
import { cough, leadingSilenceMs, padWithSilence, synthesize, type Pcm } from '../support/wav.js';
import { summarize, type Summary } from './stats.js';

const INTERRUPTION = 'Wait, do you offer free shipping?';
const ACKNOWLEDGEMENT = 'Yeah, okay.';
/** Longer than any pause inside the agent's speech: the agent has stopped. */
const STOPPED_GAP_MS = 700;
/** The agent's voice is talked over this long after its answer started playing. */
const TALK_OVER_AFTER_MS = 1_500;

export interface BargeInRun {
  calls: number;
  /** Caller's first loud frame → the agent's last loud frame heard before it fell silent. */
  stop: Summary;
  /** Calls whose agent did not stop for the interruption within 3 s. */
  notStopped: number;
  /** "Yeah, okay." over the agent: how long the agent paused before it went on (0: no pause). */
  acknowledgementGap: Summary;
  /** Acknowledgements after which the answer did not go on to its end. */
  acknowledgementCut: number;
  /** A 350 ms cough over the agent: the same. */
  coughGap: Summary;
  coughCut: number;
}

interface Sounds {
  story: Pcm;
  interruption: Pcm;
  acknowledgement: Pcm;
  cough: Pcm;
}

/**
 * Talks over the agent's long answer with `sound` and returns when the caller's sound began,
 * on `performance.now()`'s clock.
 */
async function talkOver(visitor: HeadlessVisitor, sound: Pcm): Promise<number> {
  const onset = performance.now() + leadingSilenceMs(sound);
  await visitor.speak(sound);
  return onset;
}

/** One call: the story, talked over by `sound`. */
async function storyCall(
  stack: TestStack,
  personaId: string,
  sounds: Sounds,
  sound: Pcm,
): Promise<{ visitor: HeadlessVisitor; onset: number }> {
  const visitor = new HeadlessVisitor();
  await visitor.join(await openSession(stack, personaId));
  await visitor.publishMicrophone(sounds.story.sampleRate);
  await visitor.waitUntil(
    'the greeting to end',
    () =>
      visitor.agentStates.some((s) => s.state === 'speaking') && visitor.agentState === 'listening',
    60_000,
  );
  await visitor.speak(padWithSilence(sounds.story, 0.2, 1.2));
  await visitor.waitUntil(
    'the story',
    () => visitor.transcript('agent').includes('garage'),
    60_000,
  );
  await visitor.waitUntil('the agent speaking', () => visitor.agentState === 'speaking', 30_000);
  await sleep(TALK_OVER_AFTER_MS);
  const onset = await talkOver(visitor, sound);
  return { visitor, onset };
}

/**
 * Whether the agent paused for the sound at `onset` and for how long (its state turned to
 * listening, then back to speaking), and whether the story then went on to its end.
 */
async function pauseAfter(visitor: HeadlessVisitor, onset: number) {
  const ended = await visitor
    .waitUntil(
      'the end of the story',
      () =>
        visitor.transcript('agent').includes('forty people') && visitor.agentState === 'listening',
      60_000,
    )
    .then(() => true)
    .catch(() => false);
  const after = visitor.agentStates.filter((s) => s.at >= onset);
  const paused = after.findIndex((s) => s.state === 'listening');
  const resumed = after.slice(paused + 1).find((s) => s.state === 'speaking');
  const pauseMs = paused >= 0 && resumed ? resumed.at - (after[paused]?.at ?? resumed.at) : 0;
  return { pauseMs, ended };
}

/**
 * Barge-in on the shipped turn-taking defaults: a caller talks over a long answer with a
 * question (the agent should stop at once), with "Yeah, okay." and with a cough (it should go
 * on). Headless callers (@livekit/rtc-node): their speech goes out at the pace of LiveKit's
 * audio thread, and the agent's audio is timed as it arrives.
 */
export async function measureBargeIn(
  stack: TestStack,
  base: Persona,
  options: { calls: number; workDir: string },
  log: (line: string) => void,
): Promise<BargeInRun> {
  const persona = storyteller(base, 'bench-barge-in');
  await putPersona(stack, persona);
  const sounds: Sounds = {
    story: await synthesize(STORY, path.join(options.workDir, 'barge-story.wav')),
    interruption: await synthesize(INTERRUPTION, path.join(options.workDir, 'barge-wait.wav')),
    acknowledgement: await synthesize(ACKNOWLEDGEMENT, path.join(options.workDir, 'barge-ok.wav')),
    cough: cough(350),
  };
  const stops: number[] = [];
  const acknowledgementGaps: number[] = [];
  const coughGaps: number[] = [];
  let notStopped = 0;
  let acknowledgementCut = 0;
  let coughCut = 0;
  for (let i = 0; i < options.calls; i++) {
    {
      const { visitor, onset } = await storyCall(stack, persona.id, sounds, sounds.interruption);
      await sleep(3_000);
      const silence = visitor.agentSilenceAfter(onset, STOPPED_GAP_MS);
      if (silence && silence.stoppedAt < onset + 3_000)
        stops.push(Math.max(0, silence.stoppedAt - onset));
      else notStopped += 1;
      await visitor.leave();
    }
    {
      const { visitor, onset } = await storyCall(stack, persona.id, sounds, sounds.acknowledgement);
      const { pauseMs, ended } = await pauseAfter(visitor, onset);
      acknowledgementGaps.push(pauseMs);
      if (!ended) acknowledgementCut += 1;
      await visitor.leave();
    }
    {
      const { visitor, onset } = await storyCall(stack, persona.id, sounds, sounds.cough);
      const { pauseMs, ended } = await pauseAfter(visitor, onset);
      coughGaps.push(pauseMs);
      if (!ended) coughCut += 1;
      await visitor.leave();
    }
    log(
      `call ${i + 1}: stop ${stops.at(-1) !== undefined ? Math.round(stops.at(-1) as number) : '—'} ms; ` +
        `"yeah, okay" paused it ${Math.round(acknowledgementGaps.at(-1) ?? 0)} ms; a cough ${Math.round(coughGaps.at(-1) ?? 0)} ms`,
    );
  }
  return {
    calls: options.calls,
    stop: summarize(stops),
    notStopped,
    acknowledgementGap: summarize(acknowledgementGaps),
    acknowledgementCut,
    coughGap: summarize(coughGaps),
    coughCut,
  };
}
