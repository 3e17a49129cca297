import { AudioFrame, AudioResampler, dispose } from '@livekit/rtc-node';
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { BandEnergyMeter } from './band-energy.js';

/** A fixed pseudo-random sequence in [-1, 1), so the test hears the same noise every run. */
function noise(seed: number) {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 31 - 1;
  };
}

/** `seconds` of a 1 kHz tone with noise over the whole band of `rate` (up to rate / 2). */
function toneWithNoise(rate: number, seconds: number): Int16Array {
  const random = noise(7);
  const out = new Int16Array(Math.round(rate * seconds));
  for (let i = 0; i < out.length; i++) {
    const tone = 0.3 * Math.sin((2 * Math.PI * 1000 * i) / rate);
    out[i] = Math.round((tone + 0.2 * random()) * 32767 * 0.8);
  }
  return out;
}

/** Through the rates a call's audio takes: the leg's rate → the room's 48 kHz → the agent's 16 kHz. */
function asTheBridgeWould(samples: Int16Array, legRate: number): Int16Array {
  const up = new AudioResampler(legRate, 48_000, 1);
  const down = new AudioResampler(48_000, 16_000, 1);
  const chunks: Int16Array[] = [];
  const step = legRate / 100; // 10 ms frames, as the bridge sends them
  for (let at = 0; at + step <= samples.length; at += step) {
    const frame = new AudioFrame(samples.slice(at, at + step), legRate, 1, step);
    for (const wide of up.push(frame)) for (const f of down.push(wide)) chunks.push(f.data);
  }
  up.close();
  down.close();
  const out = new Int16Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

after(() => dispose());

test('audio from an 8 kHz (PCMU) leg is narrowband', () => {
  const heard = asTheBridgeWould(toneWithNoise(8_000, 3), 8_000);
  const verdict = new BandEnergyMeter().push(heard);
  assert.ok(verdict, 'three seconds of loud audio are enough to decide');
  assert.equal(verdict.narrowband, true, `high band at ${verdict.highBandDb} dB`);
  assert.ok(verdict.highBandDb < -60, `high band at ${verdict.highBandDb} dB`);
});

test('audio from a 16 kHz (G.722) leg with energy up to 7 kHz is wideband', () => {
  const heard = asTheBridgeWould(toneWithNoise(16_000, 3), 16_000);
  const verdict = new BandEnergyMeter().push(heard);
  assert.ok(verdict);
  assert.equal(verdict.narrowband, false, `high band at ${verdict.highBandDb} dB`);
  assert.ok(verdict.highBandDb > -15, `high band at ${verdict.highBandDb} dB`);
});

test('silence is not measured: no verdict until there has been enough speech', () => {
  const meter = new BandEnergyMeter({ speechMs: 1_000 });
  assert.equal(meter.push(new Int16Array(16_000 * 5)), undefined);
  const loud = asTheBridgeWould(toneWithNoise(16_000, 0.5), 16_000);
  assert.equal(meter.push(loud), undefined, 'half a second of speech is not enough');
  const verdict = meter.push(asTheBridgeWould(toneWithNoise(16_000, 1), 16_000));
  assert.ok(verdict && verdict.speechMs >= 1_000 && verdict.speechMs < 1_600);
});
