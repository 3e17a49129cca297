import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { initializeLogger, loggerOptions } from '@livekit/agents';
import { CannedSpeech, type CannedPhrase } from './canned-speech.js';
import { startDeepgramFake } from './deepgram-fake.js';
import { pocketSphinxPaths } from '@parley/agent';
import { concatPcm, speakPcm } from './speech.js';

const RATE = 16_000;
const PHRASES = [
  'What are your opening hours?',
  'Do you offer free shipping?',
  'Where are you located?',
];

const silence = (ms: number) => new Int16Array((RATE * ms) / 1000);

/** Plays `pcm` `factor` times slower (linear interpolation, pitch and all). */
function stretch(pcm: Int16Array, factor: number): Int16Array {
  const out = new Int16Array(Math.round(pcm.length * factor));
  for (let i = 0; i < out.length; i++) {
    const at = i / factor;
    const k = Math.floor(at);
    const next = pcm[Math.min(k + 1, pcm.length - 1)] ?? 0;
    out[i] = Math.round((pcm[k] ?? 0) * (1 - (at - k)) + next * (at - k));
  }
  return out;
}

async function finals(speech: CannedSpeech, pcm: Int16Array): Promise<string[]> {
  const recogniser = speech.recogniser();
  // In 10 ms pieces, as a stream delivers them.
  for (let i = 0; i < pcm.length; i += RATE / 100) recogniser.writeAudio(pcm.subarray(i, i + 160));
  recogniser.quit();
  const texts: string[] = [];
  for await (const event of recogniser.events()) {
    if (event.type === 'final' && event.speech) texts.push(event.text);
  }
  return texts;
}

describe('canned speech: the Deepgram fake without a recogniser', () => {
  let phrases: CannedPhrase[];
  let speech: CannedSpeech;
  before(async () => {
    if (!loggerOptions()) initializeLogger({ pretty: false, level: 'warn' });
    phrases = await Promise.all(
      PHRASES.map(async (text) => ({ text, samples: await speakPcm(text), sampleRate: RATE })),
    );
    speech = new CannedSpeech(phrases);
  });

  test('each known phrase is heard as itself, one after another in one stream', async () => {
    const pcm = concatPcm(phrases.flatMap((p) => [silence(500), p.samples, silence(800)]));
    assert.deepEqual(await finals(speech, pcm), PHRASES);
  });

  test('a phrase it does not know, or a known one cut short, is heard as nothing', async () => {
    const unknown = await speakPcm('Can I talk to a human please?');
    const known = phrases[0]?.samples ?? new Int16Array(0);
    const cut = known.subarray(0, Math.floor(known.length * 0.55));
    assert.deepEqual(await finals(speech, concatPcm([unknown, silence(800)])), ['']);
    assert.deepEqual(await finals(speech, concatPcm([cut, silence(800)])), ['']);
  });

  test('quieter (a call’s gain) and slightly shifted audio still matches', async () => {
    const known = phrases[1]?.samples ?? new Int16Array(0);
    const quieter = known.map((s) => Math.round(s * 0.5));
    assert.deepEqual(await finals(speech, concatPcm([silence(37), quieter, silence(800)])), [
      PHRASES[1],
    ]);
  });

  test('a phrase a jitter buffer stretched in part still matches; one split by a hole does not', async () => {
    // WebRTC's jitter buffer stretches audio when packets come late: here the first 40 % of a
    // phrase plays 25 % slower, which a recogniser hears as the same words.
    const known = phrases[0]?.samples ?? new Int16Array(0);
    const cut = Math.floor(known.length * 0.4);
    const stretched = concatPcm([stretch(known.subarray(0, cut), 1.25), known.subarray(cut)]);
    assert.deepEqual(await finals(speech, concatPcm([stretched, silence(800)])), [PHRASES[0]]);
    // Packets lost for half a second mid-phrase leave a hole: two pieces, neither the phrase.
    const hole = concatPcm([
      known.subarray(0, cut),
      silence(500),
      known.subarray(cut),
      silence(800),
    ]);
    assert.deepEqual(await finals(speech, hole), ['', '']);
  });

  test('over the wire: the fake answers a live stream with a final Results message', async () => {
    const fake = await startDeepgramFake({
      port: 0,
      apiKey: 'k',
      pocketsphinx: pocketSphinxPaths(),
      canned: speech,
    });
    try {
      const ws = new WebSocket(`${fake.wsUrl}/v1/listen?encoding=linear16&sample_rate=16000`, {
        headers: { authorization: 'Token k' },
      });
      const transcripts: string[] = [];
      const done = new Promise<void>((resolve, reject) => {
        ws.on('message', (data) => {
          const message = JSON.parse(String(data)) as {
            type: string;
            is_final?: boolean;
            channel?: { alternatives: { transcript: string }[] };
          };
          if (message.type === 'Results' && message.is_final) {
            transcripts.push(message.channel?.alternatives[0]?.transcript ?? '');
          }
        });
        ws.on('close', () => resolve());
        ws.on('error', reject);
      });
      await new Promise((resolve) => ws.once('open', resolve));
      const pcm = concatPcm([silence(300), phrases[2]?.samples ?? silence(0), silence(800)]);
      ws.send(Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength));
      ws.send(JSON.stringify({ type: 'CloseStream' }));
      await done;
      // Without `punctuate`, Deepgram sends bare lower-case words.
      assert.deepEqual(transcripts, ['where are you located']);
    } finally {
      await fake.stop();
    }
  });
});
