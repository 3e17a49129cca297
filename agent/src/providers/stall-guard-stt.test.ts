import { asLanguageCode, type AudioBuffer, initializeLogger, stt } from '@livekit/agents';
import { AudioFrame } from '@livekit/rtc-node';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { StallGuardSTT } from './stall-guard-stt.js';
import { sleep } from '../../test/wait.js';

const RATE = 16_000;
const FRAME_MS = 10;
const STALL_MS = 300;

/** A 10 ms frame of a loud tone (voiced for the guard). */
function voicedFrame(): AudioFrame {
  const n = (RATE * FRAME_MS) / 1000;
  const data = new Int16Array(n);
  for (let i = 0; i < n; i++) data[i] = Math.round(8000 * Math.sin((2 * Math.PI * 220 * i) / RATE));
  return new AudioFrame(data, RATE, 1, n);
}

/**
 * An engine that answers like a recogniser at the end of an utterance: one final transcript
 * once it has received `answerAfterMs` of audio, never if undefined (a dead connection). Its
 * first `deadStreams` streams never answer. `framesHeard` counts the frames each stream got.
 */
class AudioCountingSTT extends stt.STT {
  label = 'counting';
  readonly framesHeard: number[] = [];
  constructor(
    readonly answerAfterMs: number | undefined,
    readonly deadStreams = 0,
  ) {
    super({ streaming: true, interimResults: false });
  }
  protected _recognize(_: AudioBuffer): Promise<stt.SpeechEvent> {
    throw new Error('streaming only');
  }
  stream(): stt.SpeechStream {
    return new AudioCountingStream(this);
  }
}

class AudioCountingStream extends stt.SpeechStream {
  label = 'counting.stream';
  readonly #owner: AudioCountingSTT;
  constructor(owner: AudioCountingSTT) {
    super(owner);
    this.#owner = owner;
  }
  protected async run(): Promise<void> {
    const owner = this.#owner;
    const index = owner.framesHeard.push(0) - 1;
    const after = index < owner.deadStreams ? undefined : owner.answerAfterMs;
    let heardMs = 0;
    let answered = false;
    for await (const item of this.input) {
      if (typeof item === 'symbol') continue;
      owner.framesHeard[index] = (owner.framesHeard[index] ?? 0) + 1;
      heardMs += (item.samplesPerChannel / item.sampleRate) * 1000;
      if (!answered && after !== undefined && heardMs >= after) {
        answered = true;
        this.queue.put({
          type: stt.SpeechEventType.FINAL_TRANSCRIPT,
          alternatives: [
            {
              language: asLanguageCode('en'),
              text: 'hello',
              startTime: 0,
              endTime: 0,
              confidence: 1,
            },
          ],
        });
      }
    }
  }
}

/**
 * Sends voiced audio through a guarded stream, `slowdown` times slower than real time, for
 * `wallMs` (or until the first transcript, `untilAnswered`); returns the transcripts read, the
 * unrecoverable errors the guard raised and the frames sent.
 */
async function run(
  inner: AudioCountingSTT,
  slowdown: number,
  wallMs: number,
  { maxRetry = 0, untilAnswered = false } = {},
) {
  const guard = new StallGuardSTT(inner, { stallMs: STALL_MS });
  const errors: Error[] = [];
  guard.on('error', (e: { error: Error; recoverable: boolean }) => {
    if (!e.recoverable) errors.push(e.error);
  });
  const stream = guard.stream({
    connOptions: { maxRetry, retryIntervalMs: 10, timeoutMs: 1000 },
  });
  const texts: string[] = [];
  const reading = (async () => {
    for await (const event of stream) {
      if (event.type === stt.SpeechEventType.FINAL_TRANSCRIPT) {
        texts.push(event.alternatives?.[0]?.text ?? '');
      }
    }
  })();
  const started = performance.now();
  let framesSent = 0;
  while (performance.now() - started < wallMs && !(untilAnswered && texts.length > 0)) {
    stream.pushFrame(voicedFrame());
    framesSent += 1;
    await sleep(FRAME_MS * slowdown);
  }
  stream.endInput();
  await Promise.race([reading, sleep(2000)]);
  stream.close();
  return { texts, errors, framesSent };
}

describe('StallGuardSTT', () => {
  initializeLogger({ pretty: false, level: 'fatal' });

  test('fails the stream when the engine stops answering audio sent in real time', async () => {
    const { errors } = await run(new AudioCountingSTT(undefined), 1, 3 * STALL_MS);
    assert.equal(errors.length, 1, 'one unrecoverable error');
    assert.match(errors[0]?.message ?? '', /did not answer 300 ms of speech/);
  });

  test('does not fail an engine that answers once it has the audio, when the job sends it late', async () => {
    // A busy job forwards its audio at a quarter of real time: the engine's answer after 200 ms
    // of audio comes about 800 ms after the first word, longer than the stall time, and is
    // still an engine that works.
    const { texts, errors } = await run(new AudioCountingSTT(200), 4, 4 * STALL_MS);
    assert.deepEqual(
      errors.map((e) => e.message),
      [],
    );
    assert.deepEqual(texts, ['hello']);
  });

  test('when a stalled connection is replaced, then the new one hears first what the old one left unanswered', async () => {
    // The first connection never answers; its replacement answers once it has 200 ms of audio.
    const inner = new AudioCountingSTT(200, 1);
    const { texts, errors, framesSent } = await run(inner, 1, 20 * STALL_MS, {
      maxRetry: 1,
      untilAnswered: true,
    });
    assert.deepEqual(
      errors.map((e) => e.message),
      [],
    );
    assert.deepEqual(texts, ['hello']);
    assert.equal(inner.framesHeard.length, 2, 'one new connection');
    assert.ok((inner.framesHeard[0] ?? 0) > STALL_MS / FRAME_MS, 'the first heard the stall');
    assert.equal(inner.framesHeard[1], framesSent, 'the new connection heard every frame');
  });
});
