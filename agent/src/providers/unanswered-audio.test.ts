import { AudioFrame } from '@livekit/rtc-node';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UnansweredAudio } from './unanswered-audio.js';

const RATE = 16_000;

/** A 10 ms frame numbered `seq` (its first sample): a loud tone, or silence. */
function frame(seq: number, voiced = true): AudioFrame {
  const data = new Int16Array(RATE / 100);
  if (voiced) data.fill(8_000);
  data[0] = seq;
  return new AudioFrame(data, RATE, 1, data.length);
}

const seqs = (audio: UnansweredAudio) => audio.frames.map((f) => f.data[0]);
const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('UnansweredAudio', () => {
  test('keeps the audio sent since the last final transcript, oldest first', () => {
    const audio = new UnansweredAudio({ limitMs: 1_000 });
    [1, 2, 3].forEach((n) => audio.push(frame(n)));
    audio.answered();
    [4, 5].forEach((n) => audio.push(frame(n)));
    assert.deepEqual(seqs(audio), [4, 5]);
    assert.equal(audio.keptMs, 20);
    assert.equal(audio.heardMs, 50);
  });

  test('when more than the limit is unanswered, then the oldest audio is dropped', () => {
    const audio = new UnansweredAudio({ limitMs: 100, leadMs: 0 });
    for (let n = 1; n <= 1_000; n++) audio.push(frame(n));
    assert.equal(audio.keptMs, 100);
    assert.deepEqual(seqs(audio), range(991, 1_000));
  });

  test('until a voiced frame comes, only the lead-in of silence before it is kept', () => {
    const audio = new UnansweredAudio({ limitMs: 2_000, leadMs: 50 });
    for (let n = 1; n <= 100; n++) audio.push(frame(n, false));
    assert.deepEqual(seqs(audio), range(96, 100));
    for (let n = 101; n <= 110; n++) audio.push(frame(n));
    for (let n = 111; n <= 200; n++) audio.push(frame(n, false));
    assert.deepEqual(seqs(audio), range(96, 200), 'the silence after speech is kept');
    audio.answered();
    for (let n = 201; n <= 300; n++) audio.push(frame(n, false));
    assert.deepEqual(seqs(audio), range(296, 300), 'answered: silence is a lead-in again');
  });

  test("the kept audio's start offset follows the audio sent, and is never negative", () => {
    const audio = new UnansweredAudio({ limitMs: 1_000 });
    for (let n = 1; n <= 100; n++) audio.push(frame(n)); // 1 s, answered
    audio.answered();
    for (let n = 101; n <= 150; n++) audio.push(frame(n)); // kept: from 1 s to 1.5 s
    // A stream started when 0.2 s had been sent, at offset 2 s: the kept audio starts at 2.8 s.
    assert.equal(audio.startOffset(2, 200), 2.8);
    // The same audio for a stream whose clock started later than the kept audio.
    assert.equal(audio.startOffset(0, 1_200), 0);
  });
});
