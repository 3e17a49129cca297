/**
 * `npm run bench:voices` (issue #15, item 5): the offline voices side by side. Each voice speaks
 * the same sentences of the kind the agent says, through the agent's own TTS classes; per voice:
 *
 * - intelligibility: word error rate of the project's recogniser (PocketSphinx, unbiased)
 *   on what it said, fed as a call feeds it;
 * - first audio: from the text going in to the first audio frame coming out, p50 and p95, one
 *   sentence at a time on an engine that has already spoken once (Festival's process running);
 * - real-time factor: synthesis time over the duration of the audio.
 *
 *   tsx tests/bench/offline-voices.ts [--voices festival:slt-hts,flite:slt] [--sentences 30]
 *                                     [--skip-wer]
 *
 * Timings are taken with nothing else from this bench running; the recognition comes after.
 * Writes tests/artifacts/bench/offline-voices.json.
 */
import { initializeLogger, stt, type tts } from '@livekit/agents';
import { type AudioFrame, dispose } from '@livekit/rtc-node';
import {
  countWordErrors,
  createOfflineTTS,
  OFFLINE_VOICES,
  PocketSphinxSTT,
  pocketSphinxPaths,
} from '@parley/agent';
import { concatPcm, silenceFrames, toFrames } from '@parley/test-fakes';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../../scripts/lib/stack-config.js';
import { summarize } from './stats.js';

/** What the agent says: greetings, answers, confirmations, fallbacks, hand-offs. */
const SENTENCES = [
  'Hello! How can I help you today?',
  'We are open from nine to five on weekdays.',
  'Shipping is free on orders over fifty dollars.',
  'You can return an item within thirty days of delivery.',
  'Our shop is on the main street, next to the train station.',
  "I'm sorry, I don't have an answer to that. Could you ask it another way?",
  'Let me connect you with a member of our team.',
  'Thank you for calling. Have a great day!',
  'Could you tell me your name, please?',
  'What is the best phone number to reach you?',
  'Thank you, John Smith! Someone will call you back tomorrow.',
  'Your order left the warehouse this morning.',
  'It should arrive within three business days.',
  'Would you like me to send you a confirmation by email?',
  'I can book an appointment for you on Monday or Tuesday.',
  'The appointment is confirmed for Tuesday at ten in the morning.',
  'We accept credit cards and bank transfers.',
  'Gift cards can be used in the shop and online.',
  'Please hold on while I check that for you.',
  'Is there anything else I can help you with?',
  'I did not catch that. Could you say it again?',
  'Our support team answers emails within one day.',
  'The store is closed on public holidays.',
  'You can track your parcel with the number in your email.',
  'A member of staff will call you back within an hour.',
  'We have that model in black, white and blue.',
  'The price includes tax and delivery.',
  'Your booking number is four two seven one.',
  'Parking is free for customers behind the building.',
  'Goodbye, and thank you for your call.',
];

const { values: args } = parseArgs({
  options: {
    voices: { type: 'string', default: OFFLINE_VOICES.join(',') },
    sentences: { type: 'string', default: String(SENTENCES.length) },
    'skip-wer': { type: 'boolean', default: false },
  },
});
const voices = (args.voices ?? '').split(',').filter(Boolean);
const sentences = SENTENCES.slice(0, Number(args.sentences));
for (const voice of voices) {
  if (!OFFLINE_VOICES.includes(voice)) {
    throw new Error(`unknown voice '${voice}': one of ${OFFLINE_VOICES.join(', ')}`);
  }
}

interface Spoken {
  text: string;
  firstAudioMs: number;
  synthesisMs: number;
  frames: AudioFrame[];
}

/** One sentence through `synthesize()`, timed from the call to the first and last frame. */
async function speak(engine: tts.TTS, text: string): Promise<Spoken> {
  const started = performance.now();
  let firstAudioMs = -1;
  const frames: AudioFrame[] = [];
  for await (const audio of engine.synthesize(text)) {
    if (firstAudioMs < 0) firstAudioMs = performance.now() - started;
    frames.push(audio.frame);
  }
  if (frames.length === 0) throw new Error(`${engine.label} said nothing for "${text}"`);
  return { text, firstAudioMs, synthesisMs: performance.now() - started, frames };
}

/** What PocketSphinx hears in each sentence: one stream per voice, silence between sentences. */
async function transcribe(spoken: Spoken[]): Promise<string[]> {
  const stream = new PocketSphinxSTT({ ...pocketSphinxPaths() }).stream();
  const finals: string[] = [];
  let lastEventAt = Date.now();
  const reading = (async () => {
    for await (const event of stream) {
      lastEventAt = Date.now();
      const text = event.alternatives?.[0]?.text;
      if (event.type === stt.SpeechEventType.FINAL_TRANSCRIPT && text) finals.push(text);
    }
  })();
  const heard: string[] = [];
  for (const { frames } of spoken) {
    const rate = frames[0]?.sampleRate ?? 16_000;
    const seen = finals.length;
    const sentence = toFrames(concatPcm(frames.map((f) => f.data)), rate);
    for (const f of [...silenceFrames(300, rate), ...sentence, ...silenceFrames(1200, rate)]) {
      stream.pushFrame(f);
    }
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && !(finals.length > seen && Date.now() - lastEventAt > 400)) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    heard.push(finals.slice(seen).join(' '));
  }
  stream.endInput();
  await Promise.race([reading, new Promise((resolve) => setTimeout(resolve, 3_000))]);
  stream.close();
  return heard;
}

interface VoiceResult {
  voice: string;
  sampleRate: number;
  /** NaN with `--skip-wer`. */
  wer: number;
  firstAudioMs: { p50: number; p95: number; max: number };
  realTimeFactor: number;
  sentences: { text: string; heard: string; firstAudioMs: number }[];
}

async function measure(voice: string): Promise<VoiceResult> {
  const engine = createOfflineTTS(voice);
  try {
    await speak(engine, 'Warming up.'); // Festival's process starts and loads its voice
    const spoken: Spoken[] = [];
    for (const text of sentences) spoken.push(await speak(engine, text));
    const heard = args['skip-wer'] ? [] : await transcribe(spoken);
    let errors = 0;
    let words = 0;
    spoken.forEach(({ text }, i) => {
      const counts = countWordErrors(text, heard[i] ?? '');
      errors += counts.substitutions + counts.deletions + counts.insertions;
      words += counts.referenceWords;
    });
    const first = summarize(spoken.map((s) => s.firstAudioMs));
    const audioMs = spoken.reduce(
      (n, s) => n + s.frames.reduce((m, f) => m + (f.samplesPerChannel / f.sampleRate) * 1000, 0),
      0,
    );
    return {
      voice,
      sampleRate: engine.sampleRate,
      wer: args['skip-wer'] ? Number.NaN : errors / words,
      firstAudioMs: { p50: first.p50, p95: first.p95, max: first.max },
      realTimeFactor: spoken.reduce((n, s) => n + s.synthesisMs, 0) / audioMs,
      sentences: spoken.map((s, i) => ({
        text: s.text,
        heard: heard[i] ?? '',
        firstAudioMs: s.firstAudioMs,
      })),
    };
  } finally {
    await engine.close();
  }
}

initializeLogger({ pretty: false, level: 'warn' });
const started = new Date();
const load = os.loadavg()[0]?.toFixed(2);
process.stdout.write(
  `offline voices: ${sentences.length} sentences, ${os.cpus().length} cores, load ${load}\n\n`,
);
const results: VoiceResult[] = [];
for (const voice of voices) {
  const result = await measure(voice);
  results.push(result);
  process.stdout.write(`${voice}: done\n`);
}

const ms = (n: number) => `${Math.round(n)} ms`;
const rows = [
  ['voice', 'rate', 'WER', 'first audio p50', 'p95', 'RTF'],
  ...results.map((r) => [
    r.voice,
    `${r.sampleRate / 1000} kHz`,
    `${(r.wer * 100).toFixed(1)} %`,
    ms(r.firstAudioMs.p50),
    ms(r.firstAudioMs.p95),
    r.realTimeFactor.toFixed(3),
  ]),
];
const widths = rows[0]?.map((_, c) => Math.max(...rows.map((row) => row[c]?.length ?? 0))) ?? [];
process.stdout.write(
  `\n${rows.map((row) => row.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ')).join('\n')}\n`,
);
process.stdout.write(`\nload average after: ${os.loadavg()[0]?.toFixed(2)}\n`);

const out = path.join(REPO_ROOT, 'tests', 'artifacts', 'bench');
await mkdir(out, { recursive: true });
await writeFile(
  path.join(out, 'offline-voices.json'),
  JSON.stringify({ startedAt: started.toISOString(), loadBefore: load, results }, null, 2),
);
process.stdout.write(`written: ${path.relative(REPO_ROOT, out)}/offline-voices.json\n`);
await dispose(); // the recogniser's resamplers (native) would keep the process alive
