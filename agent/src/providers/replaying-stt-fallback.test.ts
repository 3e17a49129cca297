import {
  APIConnectionError,
  type APIConnectOptions,
  asLanguageCode,
  type AudioBuffer,
  initializeLogger,
  stt,
} from '@livekit/agents';
import { AudioFrame } from '@livekit/rtc-node';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { rms } from './audio-level.js';
import { type FallbackEvent, sttChain } from './fallback-chains.js';
import { StallGuardSTT } from './stall-guard-stt.js';
import { sleep } from '../../test/wait.js';

const RATE = 16_000;
const FRAME_SAMPLES = RATE / 100;
/** Silent frames that end an utterance for the fake recogniser. */
const END_SILENCE_FRAMES = 30;

/** A 10 ms frame numbered `seq` (its first sample): a loud tone, or silence. */
function frame(seq: number, voiced: boolean): AudioFrame {
  const data = new Int16Array(FRAME_SAMPLES);
  if (voiced) {
    for (let i = 0; i < data.length; i++) {
      data[i] = Math.round(8000 * Math.sin((2 * Math.PI * 220 * i) / RATE));
    }
  }
  data[0] = seq;
  return new AudioFrame(data, RATE, 1, FRAME_SAMPLES);
}

const seqOf = (f: AudioFrame) => f.data[0] ?? -1;
const isVoiced = (f: AudioFrame) => rms(f.data) > 0.01;

/**
 * A recogniser of numbered frames. An utterance (voiced frames, then `END_SILENCE_FRAMES`
 * silent ones) is answered by a final transcript naming its first and last voiced frame
 * ("51-100"). `heard` records every frame its streams received. Once `dead`, its streams stop
 * answering (`silent`, a connection that died without saying so) or fail (`error`).
 */
class NumberedFramesSTT extends stt.STT {
  readonly label: string;
  readonly heard: number[] = [];
  dead = false;

  constructor(
    label: string,
    public death: 'silent' | 'error' = 'silent',
  ) {
    super({ streaming: true, interimResults: false });
    this.label = label;
  }

  override get provider(): string {
    return this.label;
  }

  protected _recognize(_: AudioBuffer): Promise<stt.SpeechEvent> {
    throw new Error('streaming only');
  }

  stream(options?: { connOptions?: APIConnectOptions }): stt.SpeechStream {
    return new NumberedFramesStream(this, options?.connOptions);
  }
}

class NumberedFramesStream extends stt.SpeechStream {
  label = 'numbered-frames.stream';
  readonly #owner: NumberedFramesSTT;

  constructor(owner: NumberedFramesSTT, connOptions?: APIConnectOptions) {
    super(owner, undefined, connOptions);
    this.#owner = owner;
  }

  protected async run(): Promise<void> {
    const owner = this.#owner;
    let voiced: number[] = [];
    let quiet = 0;
    for await (const item of this.input) {
      if (typeof item === 'symbol') continue;
      if (owner.dead) {
        if (owner.death === 'error') throw new APIConnectionError({ message: 'connection lost' });
        continue;
      }
      owner.heard.push(seqOf(item));
      if (isVoiced(item)) {
        voiced.push(seqOf(item));
        quiet = 0;
      } else if (voiced.length > 0 && ++quiet >= END_SILENCE_FRAMES) {
        this.queue.put({
          type: stt.SpeechEventType.FINAL_TRANSCRIPT,
          alternatives: [
            {
              language: asLanguageCode('en'),
              text: `${voiced[0]}-${voiced.at(-1)}`,
              startTime: 0,
              endTime: 0,
              confidence: 1,
            },
          ],
        });
        voiced = [];
      }
    }
  }
}

/** A call through a chain of `primary` and a fallback that records what it hears. */
function call(primary: stt.STT, replayMs?: number) {
  const fallback = new NumberedFramesSTT('fallback');
  const chain = sttChain(
    [
      { name: 'primary', engine: primary },
      { name: 'fallback', engine: fallback },
    ],
    { replayMs },
  );
  const events: FallbackEvent[] = [];
  chain.watch((e) => events.push(e));
  const stream = chain.runner.stream();
  const finals: { text: string; engine: string }[] = [];
  const reading = (async () => {
    for await (const event of stream) {
      const text = event.alternatives?.[0]?.text;
      if (event.type === stt.SpeechEventType.FINAL_TRANSCRIPT && text) {
        finals.push({ text, engine: chain.runner.provider });
      }
    }
  })();
  let seq = 0;
  /** Sends frames in real time: `voicedMs` of speech, then `silenceMs` of silence. */
  const send = async (voicedMs: number, silenceMs: number) => {
    const first = seq + 1;
    const frames = [
      ...Array.from({ length: voicedMs / 10 }, () => frame(++seq, true)),
      ...Array.from({ length: silenceMs / 10 }, () => frame(++seq, false)),
    ];
    for (let i = 0; i < frames.length; i += 10) {
      frames.slice(i, i + 10).forEach((f) => stream.pushFrame(f));
      await sleep(100);
    }
    return `${first}-${first + voicedMs / 10 - 1}`;
  };
  /** Keeps the line open (silence in real time) until `condition`. */
  const silenceUntil = async (condition: () => boolean, what: string) => {
    const deadline = Date.now() + 20_000;
    while (!condition()) {
      if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
      await send(0, 100);
    }
  };
  const close = async () => {
    stream.endInput();
    await Promise.race([reading, sleep(2_000)]);
    stream.close();
    await chain.runner.close();
  };
  return { fallback, events, finals, send, silenceUntil, close, lastSeq: () => seq };
}

describe('ReplayingSTTFallback: what the caller said into a dying STT reaches the next one', () => {
  initializeLogger({ pretty: false, level: 'fatal' });

  const deaths = [
    {
      how: 'goes silent (a dead connection, given up by the stall guard)',
      engine: (inner: NumberedFramesSTT) => new StallGuardSTT(inner, { stallMs: 300 }),
      death: 'silent',
    },
    {
      how: 'fails',
      engine: (inner: NumberedFramesSTT) => inner,
      death: 'error',
    },
  ] as const;

  for (const { how, engine, death } of deaths) {
    test(`when the primary ${how} mid-question, then the fallback answers that question once, from its first word`, async (t) => {
      const primary = new NumberedFramesSTT('primary', death);
      const line = call(engine(primary));
      t.after(() => line.close());

      const first = await line.send(500, 400);
      await line.silenceUntil(() => line.finals.length > 0, 'the first answer');

      primary.dead = true;
      const second = await line.send(1_000, 0);
      await line.silenceUntil(() => line.finals.length > 1, 'the answer to the second question');
      const third = await line.send(500, 400);
      await line.silenceUntil(() => line.finals.length > 2, 'the answer to the third question');

      assert.deepEqual(line.events, [{ stage: 'stt', engine: 'primary', available: false }]);
      assert.deepEqual(line.finals, [
        { text: first, engine: 'primary' },
        { text: second, engine: 'fallback' },
        { text: third, engine: 'fallback' },
      ]);
      // The fallback heard every frame from a little before the second question: each once,
      // in order, none the primary had answered.
      const heard = line.fallback.heard;
      const from = heard[0] ?? 0;
      assert.ok(from > lastOf(first), 'the answered question was not replayed');
      assert.ok(from < firstOf(second), 'the second question was replayed from its start');
      assert.deepEqual(
        heard,
        Array.from({ length: line.lastSeq() - from + 1 }, (_, i) => from + i),
        'every frame once, in order',
      );
    });
  }

  test('when the unanswered audio outgrows the limit, then only its newest part is replayed', async (t) => {
    const primary = new NumberedFramesSTT('primary', 'silent');
    const line = call(primary, 1_000);
    t.after(() => line.close());
    await line.send(500, 400);
    await line.silenceUntil(() => line.finals.length > 0, 'the first answer');
    // The primary stops answering (nothing notices), hears 2 s of speech, then fails.
    primary.dead = true;
    const unanswered = await line.send(2_000, 0);
    const failsAfter = line.lastSeq();
    primary.death = 'error';
    await line.silenceUntil(() => line.events.length > 0, 'the switch');
    // It failed on a frame sent after `failsAfter`; the last 1 s (100 frames) was kept then.
    const from = line.fallback.heard[0] ?? 0;
    assert.ok(from > firstOf(unanswered), 'the oldest audio was dropped');
    assert.ok(from > failsAfter + 1 - 100, `the fallback heard from frame ${from}`);
  });
});

const firstOf = (range: string) => Number(range.split('-')[0]);
const lastOf = (range: string) => Number(range.split('-')[1]);
