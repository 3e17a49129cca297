import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  firstSoundAfter,
  voiceToVoice,
  type Measured,
  type MeasuredTurn,
} from '../support/audio-levels.js';
import { launchChromium } from '../support/browser.js';
import { callOfRoom, eventually, type StoredCall } from '../support/calls.js';
import type { TestStack } from '../support/stack-env.js';
import { synthesize, writeWav, type Pcm } from '../support/wav.js';
import { detailsOf, openWidgetPage, part, type ParleyVoiceApi } from '../support/widget-page.js';
import { agentLogRecords } from './agent-log.js';
import { BENCH_QUESTIONS } from './bench-persona.js';
import {
  installAudioProbe,
  probeLog,
  receiverFigures,
  type ReceiverFigures,
} from './page-audio-probe.js';

/** Silence before each question: the greeting (first cycle) or the previous reply plays out in it. */
const LEAD_SILENCE_S = 6;
const TAIL_SILENCE_S = 2.5;

/** One measured turn with what the agent recorded for it (milliseconds). */
export interface WebTurn extends MeasuredTurn {
  userText?: string;
  timings: Record<string, number>;
  /** The page's end of speech → where the agent's VAD placed it (the agent's `turn moments`). */
  inboundMs?: number;
  /** The agent's first reply frame → the page hearing it. */
  outboundMs?: number;
}

export interface WebVoiceRun {
  turns: WebTurn[];
  /** Questions whose reply could not be measured (talked over, or none before the next one). */
  unmeasured: number;
  asked: number;
  /** Turns with caller text the agent stored for the call (ideally one per question). */
  storedTurns: number;
  receiver: ReceiverFigures;
}

/**
 * The fake-microphone WAV: `count` questions (cycling through {@link BENCH_QUESTIONS}), each after
 * a stretch of silence long enough for the previous reply to play out.
 */
async function microphoneWav(dir: string, count: number): Promise<string> {
  const spoken: Pcm[] = [];
  for (const [index, question] of BENCH_QUESTIONS.entries()) {
    spoken.push(await synthesize(question, path.join(dir, `question-${index}.wav`)));
  }
  const sampleRate = spoken[0]?.sampleRate ?? 16_000;
  const cycles = Array.from({ length: count }, (_, i) => spoken[i % spoken.length] as Pcm);
  const lead = LEAD_SILENCE_S * sampleRate;
  const tail = TAIL_SILENCE_S * sampleRate;
  const total = cycles.reduce((sum, pcm) => sum + lead + pcm.samples.length + tail, 0);
  const samples = new Int16Array(total);
  let offset = 0;
  for (const pcm of cycles) {
    samples.set(pcm.samples, offset + lead);
    offset += lead + pcm.samples.length + tail;
  }
  const file = path.join(dir, 'microphone.wav');
  await writeWav(file, { sampleRate, samples });
  return file;
}

async function openBenchPage(
  browser: Browser | BrowserContext,
  stack: TestStack,
  persona: string,
): Promise<Page> {
  return openWidgetPage(
    browser,
    stack.url,
    `bench-${persona}`,
    `<parley-voice persona="${persona}"></parley-voice>`,
    {
      beforeLoad: installAudioProbe,
    },
  );
}

/** The call's room, from the widget's `parley-connected` event. */
async function roomOf(page: Page): Promise<string> {
  const [connected] = await detailsOf<{ roomName: string }>(page, 'parley-connected');
  if (!connected) throw new Error('the widget never reported parley-connected');
  return connected.roomName;
}

/**
 * Web voice-to-voice in real Chromium: one widget call in which the fake microphone asks
 * `count` questions; each turn is measured in the page from the end of the question to the first
 * audible sample of the reply, and joined with the timings the agent stored for that turn.
 */
export async function measureWebVoiceToVoice(
  stack: TestStack & { logFile?: string },
  persona: string,
  count: number,
  workDir: string,
): Promise<WebVoiceRun> {
  const wav = await microphoneWav(workDir, count);
  const browser = await launchChromium(wav, { allowLoopbackFromRoutedPages: true });
  try {
    const page = await openBenchPage(browser, stack, persona);
    await part(page, 'launcher').click();
    const seconds = count * (LEAD_SILENCE_S + TAIL_SILENCE_S + 2) + 10;
    await page.waitForTimeout(seconds * 1000);
    const log = await probeLog(page);
    const measured = voiceToVoice(log);
    const receiver = await receiverFigures(page);
    const roomName = await roomOf(page);
    await page.locator('parley-voice').evaluate((el) => (el as ParleyVoiceApi).end());
    const call = await eventually(
      'the stored call to close',
      () => callOfRoom(stack, roomName),
      (c) => c.status === 'ended',
      30_000,
    );
    const stored = call.turns.filter((t) => t.userText);
    const moments = stack.logFile ? await turnMoments(stack.logFile) : [];
    return {
      turns: joinMoments(joinTimings(measured, stored), moments, log.timeOrigin),
      receiver,
      unmeasured: count - measured.turns.length,
      asked: count,
      storedTurns: stored.length,
    };
  } finally {
    await browser.close();
  }
}

/**
 * Gives each measured turn the timings the agent stored for the same utterance. Utterances and
 * stored turns pair up by order when there are as many of each (the agent heard every question
 * as one turn); otherwise the timings are left out rather than guessed.
 */
function joinTimings(measured: Measured, stored: StoredCall['turns']): WebTurn[] {
  const aligned = stored.length === measured.utterances;
  return measured.turns.map((turn) => {
    const match = aligned ? stored[turn.utterance] : undefined;
    return { ...turn, userText: match?.userText, timings: match?.timings ?? {} };
  });
}

interface TurnMoment {
  callerStoppedAt: number;
  agentStartedAt: number;
}

/** The agent's `turn moments` records (agent/src/recording/turn-builder.ts) in the stack's log. */
async function turnMoments(logFile: string): Promise<TurnMoment[]> {
  return (await agentLogRecords(logFile)).flatMap(({ msg, callerStoppedAt, agentStartedAt }) =>
    msg === 'turn moments' &&
    typeof callerStoppedAt === 'number' &&
    typeof agentStartedAt === 'number' &&
    Number.isFinite(callerStoppedAt) &&
    Number.isFinite(agentStartedAt)
      ? [{ callerStoppedAt, agentStartedAt }]
      : [],
  );
}

/**
 * Splits each turn's time beyond the agent's own span: the page and the agent share the
 * machine's clock, so the page's end of speech and first sound (page ms + `timeOrigin`) compare
 * with the moments the agent logged. A turn pairs with the reply whose first frame went out
 * within `REPLY_WINDOW_MS` before the page heard it.
 */
function joinMoments(turns: WebTurn[], moments: TurnMoment[], timeOrigin: number): WebTurn[] {
  const REPLY_WINDOW_MS = 1000;
  return turns.map((turn) => {
    const heardAt = timeOrigin + turn.replyStartMs;
    const moment = moments.find(
      (m) => m.agentStartedAt <= heardAt && heardAt - m.agentStartedAt <= REPLY_WINDOW_MS,
    );
    if (!moment) return turn;
    return {
      ...turn,
      inboundMs: Math.round(moment.callerStoppedAt - (timeOrigin + turn.speechEndMs)),
      outboundMs: Math.round(heardAt - moment.agentStartedAt),
    };
  });
}

/** One click-to-greeting, with when (ms after the click) the widget reached each step. */
export interface GreetingRun {
  greetingMs: number;
  /** The microphone was granted and the session requested. */
  connectingMs?: number;
  /** The page joined the LiveKit room. */
  roomJoinedMs?: number;
  /** The agent joined (the widget left `waiting-for-agent`). */
  agentJoinedMs?: number;
}

/**
 * Click-to-greeting: `count` fresh page loads; each clicks the launcher and waits for the first
 * audible greeting sample. Measured in the page, from the click to the sound.
 */
export async function measureClickToGreeting(
  stack: TestStack,
  persona: string,
  count: number,
  silentWav: string,
): Promise<GreetingRun[]> {
  const browser = await launchChromium(silentWav, { allowLoopbackFromRoutedPages: true });
  const figures: GreetingRun[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const context = await browser.newContext();
      const page = await openBenchPage(context, stack, persona);
      const clickedAt = await part(page, 'launcher').evaluate((launcher) => {
        const at = performance.now();
        (launcher as HTMLElement).click();
        return at;
      });
      const heardAt = await pollGreeting(page, clickedAt);
      const states = (await probeLog(page)).states;
      const reached = (state: string) => {
        const at = states.find(([, s]) => s === state)?.[0];
        return at === undefined ? undefined : Math.round(at - clickedAt);
      };
      figures.push({
        greetingMs: heardAt - clickedAt,
        connectingMs: reached('connecting'),
        roomJoinedMs: reached('waiting-for-agent'),
        agentJoinedMs: reached('listening') ?? reached('speaking'),
      });
      if (process.env.BENCH_DEBUG) {
        console.log(states.map(([at, s]) => `${s}@${Math.round(at - clickedAt)}`).join(' '));
      }
      await page.locator('parley-voice').evaluate((el) => (el as ParleyVoiceApi).end());
      await context.close();
      // Let the ended call's job wind down, as between two real visitors.
      await new Promise((resolve) => setTimeout(resolve, 1500));
    }
  } finally {
    await browser.close();
  }
  return figures;
}

async function pollGreeting(page: Page, clickedAt: number): Promise<number> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const heard = firstSoundAfter((await probeLog(page)).remote, clickedAt);
    if (heard !== undefined) return heard;
    await page.waitForTimeout(100);
  }
  throw new Error('no greeting was heard within 30 s of the click');
}
