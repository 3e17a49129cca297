import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { firstSoundAfter, soundSegments, voiceToVoice, type Level } from './audio-levels.js';

/** 10 ms levels from `fromMs` to `toMs`, all at `rms`. */
function levels(fromMs: number, toMs: number, rms: number): Level[] {
  const out: Level[] = [];
  for (let at = fromMs; at < toMs; at += 10) out.push([at, rms]);
  return out;
}

const LOUD = 0.2;

describe('audio levels: what a page heard, turn by turn', () => {
  it('merges loud windows across short gaps and drops clicks', () => {
    const heard = [
      ...levels(0, 500, LOUD),
      ...levels(500, 700, 0), // a pause between words
      ...levels(700, 1000, LOUD),
      ...levels(1000, 3000, 0),
      ...levels(3000, 3030, LOUD), // a click
    ];
    assert.deepEqual(soundSegments(heard, 400, 100), [{ startMs: 0, endMs: 1000 }]);
    assert.deepEqual(soundSegments(heard, 100, 100), [
      { startMs: 0, endMs: 500 },
      { startMs: 700, endMs: 1000 },
    ]);
  });

  it('measures each utterance to the first reply after it, and leaves talked-over ones out', () => {
    const mic = [
      ...levels(0, 1000, LOUD), // question 1 ends at 1000
      ...levels(1000, 5000, 0),
      ...levels(5000, 6000, LOUD), // question 2, while reply 1 still plays
      ...levels(6000, 9000, 0),
      ...levels(9000, 10000, LOUD), // question 3 ends at 10000
      ...levels(10000, 14000, 0),
    ];
    const remote = [
      ...levels(0, 1450, 0),
      ...levels(1450, 6500, LOUD), // reply 1: 450 ms after question 1, runs over question 2
      ...levels(6500, 10620, 0),
      ...levels(10620, 12000, LOUD), // reply 3: 620 ms after question 3
    ];
    const measured = voiceToVoice({ mic, remote, states: [], timeOrigin: 0 });
    assert.equal(measured.utterances, 3);
    assert.equal(measured.unmeasured, 1);
    assert.deepEqual(
      measured.turns.map((t) => [t.utterance, t.voiceToVoiceMs]),
      [
        [0, 450],
        [2, 620],
      ],
    );
  });

  it('finds the first sound after a moment (the greeting after a click)', () => {
    const remote = [...levels(0, 200, LOUD), ...levels(200, 900, 0), ...levels(900, 1500, LOUD)];
    assert.equal(firstSoundAfter(remote, 300), 900);
    assert.equal(firstSoundAfter(remote, 1600), undefined);
  });
});
