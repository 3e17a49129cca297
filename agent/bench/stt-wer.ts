/**
 * Offline STT quality benchmark: speaks sentences with Flite, feeds them to PocketSphinx the
 * way a call does (48 kHz frames, resampled by the stream) and reports word error rates with
 * and without persona biasing.
 *
 *   tsx agent/bench/stt-wer.ts [--voices slt,kal16] [--weights 0.3,0.5] [--phone]
 *
 * `--phone` first squeezes the speech through a telephone channel (8 kHz, G.711 mu-law), as a
 * SIP caller's audio arrives.
 */
import { initializeLogger, stt } from '@livekit/agents';
import { AudioFrame, AudioResampler, dispose } from '@livekit/rtc-node';
import { parseArgs } from 'node:util';
import { concatPcm, silenceFrames, toFrames } from '@parley/test-fakes';
import { pocketSphinxPaths } from '../src/config.js';
import { FliteTTS, type FliteVoice, isFliteVoice } from '../src/providers/flite-tts.js';
import { PocketSphinxSTT } from '../src/providers/pocketsphinx-stt.js';
import { countWordErrors } from '../src/text/word-error-rate.js';

/** The default persona's knowledge questions: what the bias model is built from. */
const PERSONA_QUESTIONS = [
  'What are your opening hours?',
  'Do you offer free shipping?',
  'How can I return an item?',
  'Where are you located?',
  'How do I contact a human?',
];

const CORPUS: { category: 'question' | 'paraphrase' | 'general'; text: string }[] = [
  ...PERSONA_QUESTIONS.map((text) => ({ category: 'question' as const, text })),
  { category: 'paraphrase', text: 'When are you open?' },
  { category: 'paraphrase', text: 'Is shipping free?' },
  { category: 'paraphrase', text: 'How much does shipping cost?' },
  { category: 'paraphrase', text: 'Can I return something I bought?' },
  { category: 'paraphrase', text: 'Where is your shop?' },
  { category: 'paraphrase', text: 'Can I talk to a real person?' },
  { category: 'paraphrase', text: 'What time do you close today?' },
  { category: 'general', text: 'Thank you very much.' },
  { category: 'general', text: 'Yes please.' },
  { category: 'general', text: 'I would like to order a birthday cake for my daughter.' },
  { category: 'general', text: 'The weather is lovely this morning.' },
  { category: 'general', text: 'My name is Peter and I live in Boston.' },
];

const INPUT_RATE = 48_000;

function resample(frames: AudioFrame[], rate: number): AudioFrame[] {
  const first = frames[0];
  if (!first || first.sampleRate === rate) return frames;
  const resampler = new AudioResampler(first.sampleRate, rate);
  const out = [...frames.flatMap((f) => resampler.push(f)), ...resampler.flush()];
  resampler.close();
  return out;
}

/** G.711 mu-law round trip: the quantisation a phone call adds. */
function muLaw(frames: AudioFrame[]): AudioFrame[] {
  const BIAS = 0x84;
  const roundTrip = (sample: number) => {
    const sign = sample < 0 ? 0x80 : 0;
    let magnitude = Math.min(Math.abs(sample), 32_635) + BIAS;
    let exponent = 7;
    for (let mask = 0x4000; (magnitude & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
    const mantissa = (magnitude >> (exponent + 3)) & 0x0f;
    magnitude = (((mantissa << 3) + BIAS) << exponent) - BIAS;
    return sign ? -magnitude : magnitude;
  };
  return frames.map(
    (f) => new AudioFrame(f.data.map(roundTrip), f.sampleRate, f.channels, f.samplesPerChannel),
  );
}

async function transcribe(engine: PocketSphinxSTT, frames: AudioFrame[]): Promise<string> {
  const stream = engine.stream();
  const texts: string[] = [];
  const reading = (async () => {
    for await (const ev of stream) {
      if (ev.type === stt.SpeechEventType.FINAL_TRANSCRIPT && ev.alternatives?.[0]?.text) {
        texts.push(ev.alternatives[0].text);
      }
    }
  })();
  // A call's stream starts in silence, and only the recogniser's own VAD ends an utterance.
  const silence = (ms: number) => silenceFrames(ms, INPUT_RATE);
  for (const frame of [...silence(1500), ...frames, ...silence(1000)]) stream.pushFrame(frame);
  stream.flush();
  stream.endInput();
  await reading;
  return texts.join(' ');
}

async function main(): Promise<void> {
  initializeLogger({ pretty: false, level: process.env.LOG_LEVEL ?? 'warn' });
  const { values } = parseArgs({
    options: {
      voices: { type: 'string', default: 'slt,kal16,awb,rms,kal' },
      weights: { type: 'string', default: '0.3,0.5' },
      verbose: { type: 'boolean', default: false },
      phone: { type: 'boolean', default: false },
    },
  });
  const voices = values.voices.split(',').filter((v): v is FliteVoice => isFliteVoice(v));
  const weights = values.weights.split(',').map(Number);
  const paths = pocketSphinxPaths();
  const conditions: { name: string; engine: PocketSphinxSTT }[] = [
    { name: 'general LM', engine: new PocketSphinxSTT({ ...paths }) },
    ...weights.map((w) => ({
      name: `biased ${w}`,
      engine: new PocketSphinxSTT({ ...paths, biasPhrases: PERSONA_QUESTIONS, biasWeight: w }),
    })),
  ];

  const totals = new Map<string, { errors: number; words: number }>();
  const add = (key: string, errors: number, words: number) => {
    const t = totals.get(key) ?? { errors: 0, words: 0 };
    totals.set(key, { errors: t.errors + errors, words: t.words + words });
  };
  const ttfbs: number[] = [];
  for (const voice of voices) {
    const tts = new FliteTTS({ voice });
    for (const { category, text } of CORPUS) {
      const started = performance.now();
      const frames: AudioFrame[] = [];
      for await (const audio of tts.synthesize(text)) {
        if (frames.length === 0) ttfbs.push(performance.now() - started);
        frames.push(audio.frame);
      }
      const channel = values.phone ? muLaw(resample(frames, 8_000)) : frames;
      const input = toFrames(
        concatPcm(resample(channel, INPUT_RATE).map((f) => f.data)),
        INPUT_RATE,
      );
      for (const { name, engine } of conditions) {
        const heard = await transcribe(engine, input);
        const c = countWordErrors(text, heard);
        const errors = c.substitutions + c.deletions + c.insertions;
        for (const key of [`${name}|${voice}`, `${name}|${category}`, `${name}|all`]) {
          add(key, errors, c.referenceWords);
        }
        if (values.verbose) console.log(`[${voice}] ${name}: "${text}" -> "${heard}"`);
      }
    }
  }
  const rate = (key: string) => {
    const t = totals.get(key);
    return t && t.words ? `${((100 * t.errors) / t.words).toFixed(1)}%` : '-';
  };
  const columns = [...voices, 'question', 'paraphrase', 'general', 'all'];
  console.log(['condition', ...columns].join('\t'));
  for (const { name } of conditions) {
    console.log([name, ...columns.map((c) => rate(`${name}|${c}`))].join('\t'));
  }
  ttfbs.sort((a, b) => a - b);
  const median = ttfbs[Math.floor(ttfbs.length / 2)] ?? 0;
  console.log(`flite synthesize() time to first frame: median ${median.toFixed(0)} ms`);
  for (const { engine } of conditions) await engine.close();
  await dispose();
}

await main();
