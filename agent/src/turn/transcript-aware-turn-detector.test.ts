import { asLanguageCode, initializeLogger } from '@livekit/agents';
import { dispose } from '@livekit/rtc-node';
import { TurnTakingSchema } from '@parley/contracts';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  COMPLETE_UTTERANCES,
  endpointingWait,
  InProcessEndOfTurnModel,
  judgeTurn,
  predictEndOfTurn,
  SHOP_PERSONA,
  speakAsCaller,
  thresholdOf,
  transcribe,
} from '../../test/end-of-turn.js';
import { recognitionPhrases } from '../pipeline.js';
import { PocketSphinxSTT } from '../providers/pocketsphinx-stt.js';
import { TranscriptAwareTurnDetector } from './transcript-aware-turn-detector.js';
import { recogniserPaths } from '../../test/recogniser-paths.js';

/** The model's own threshold for English (`LOCAL_LANGUAGES.en` in `@livekit/agents`). */
const MODEL_THRESHOLD = 0.36;

describe('TranscriptAwareTurnDetector thresholds', () => {
  before(() => initializeLogger({ pretty: false, level: 'error' }));

  async function thresholdAfter(detector: TranscriptAwareTurnDetector, transcripts: string[]) {
    const stream = detector.stream();
    try {
      for (const text of transcripts) detector.hearTranscript(text);
      return await thresholdOf(stream);
    } finally {
      await stream.aclose();
    }
  }

  test("when nothing was heard yet, then the model's own threshold holds", async () => {
    assert.equal(await thresholdAfter(new TranscriptAwareTurnDetector(), []), MODEL_THRESHOLD);
    const persona = new TranscriptAwareTurnDetector({ unlikelyThreshold: 0.5 });
    assert.equal(await thresholdAfter(persona, []), 0.5);
  });

  test('when the turn reads complete, then only a turn the model finds clearly unfinished waits', async () => {
    const detector = new TranscriptAwareTurnDetector();
    assert.equal(await thresholdAfter(detector, ['what are your opening hours']), 0.1);
    const stricter = new TranscriptAwareTurnDetector({ unlikelyThreshold: 0.05 });
    assert.equal(await thresholdAfter(stricter, ['yes']), 0.05);
  });

  test('when the turn ends on a word that goes on, then it waits whatever the model says', async () => {
    const detector = new TranscriptAwareTurnDetector();
    assert.equal(await thresholdAfter(detector, ['i would like to book an appointment for']), 1);
  });

  test('the whole turn is read: a later final transcript can finish it', async () => {
    const detector = new TranscriptAwareTurnDetector();
    const turn = ['i would like to book an appointment for', 'tomorrow morning'];
    assert.equal(await thresholdAfter(detector, turn), 0.1);
  });

  test('when the framework flushes the stream (turn committed), then the words are forgotten', async () => {
    const detector = new TranscriptAwareTurnDetector();
    const stream = detector.stream();
    detector.hearTranscript('what are your');
    assert.equal(await thresholdOf(stream), 1);
    stream.flush('turn committed');
    assert.equal(detector.ending, 'unknown');
    assert.equal(await thresholdOf(stream), MODEL_THRESHOLD);
    await stream.aclose();
  });

  test('a caller in another language is left to the model', async () => {
    const detector = new TranscriptAwareTurnDetector({ unlikelyThreshold: 0.3 });
    const stream = detector.stream();
    detector.hearTranscript('je voudrais un rendez-vous pour');
    assert.equal(await stream.unlikelyThreshold(asLanguageCode('fr-FR')), 0.3);
    await stream.aclose();
  });

  test('a threshold outside [0, 1] is refused at construction', () => {
    assert.throws(() => new TranscriptAwareTurnDetector({ completeThreshold: 2 }), RangeError);
    assert.throws(() => new TranscriptAwareTurnDetector({ unlikelyThreshold: -1 }), RangeError);
  });
});

/**
 * Where a caller stops to think and PocketSphinx (biased towards the persona, as in a call)
 * hears the word they stopped on. It turns some other stops into a word that can end a
 * sentence ("…cancel my" into "…cancel nine", "…about the" into "…about that"); those are left
 * to the model (`agent/bench/end-of-turn.ts` lists them).
 */
const MID_SENTENCE_STOPS = [
  'What are your',
  'Could you tell me the',
  'I would like to book an appointment for',
  'Do you have any',
  'I was wondering if',
  'Where is your',
  'I would like',
];

describe('end of turn on the offline recogniser (Flite → PocketSphinx → local model)', () => {
  const turnTaking = TurnTakingSchema.parse({});
  const endpointing = {
    minDelay: turnTaking.minEndpointingDelayMs,
    maxDelay: turnTaking.maxEndpointingDelayMs,
  };
  let recogniser: ReturnType<typeof recogniserPaths>;
  let stt: PocketSphinxSTT;
  let model: InProcessEndOfTurnModel;
  let detector: TranscriptAwareTurnDetector;

  before(() => {
    initializeLogger({ pretty: false, level: 'warn' });
    recogniser = recogniserPaths();
    stt = new PocketSphinxSTT({
      ...recogniser.paths,
      biasPhrases: recognitionPhrases(SHOP_PERSONA),
    });
    model = new InProcessEndOfTurnModel();
    detector = new TranscriptAwareTurnDetector({
      unlikelyThreshold: turnTaking.endOfTurnThreshold,
      executor: model,
    });
  });
  after(async () => {
    await stt.close();
    await detector.aclose();
    recogniser.remove();
    await dispose();
  });

  test('complete questions and answers end after the short delay', async (t) => {
    let modelAloneWaited = 0;
    for (const said of COMPLETE_UTTERANCES) {
      const speech = await speakAsCaller(said);
      const heard = await transcribe(stt, speech);
      const judgement = await judgeTurn(detector, model, speech, heard);
      const { probability, threshold } = judgement;
      t.diagnostic(`"${heard}": p=${probability.toFixed(3)}, threshold ${threshold}`);
      assert.equal(endpointingWait(judgement, endpointing), endpointing.minDelay, heard);
      if (probability < MODEL_THRESHOLD) modelAloneWaited += 1;
    }
    // The model alone finds some of them unfinished: what this test is about.
    assert.ok(modelAloneWaited > 0);
  });

  test('a caller who stops mid-sentence waits the long delay, not cut off', async (t) => {
    let modelAloneCut = 0;
    for (const said of MID_SENTENCE_STOPS) {
      const speech = await speakAsCaller(said);
      const heard = await transcribe(stt, speech);
      const judgement = await judgeTurn(detector, model, speech, heard);
      t.diagnostic(`"${heard}": p=${judgement.probability.toFixed(3)}`);
      assert.equal(endpointingWait(judgement, endpointing), endpointing.maxDelay, heard);
      if (judgement.probability >= MODEL_THRESHOLD) modelAloneCut += 1;
    }
    // Flite speaks a fragment as a whole sentence: the model alone ends some of these turns.
    assert.ok(modelAloneCut > 0);
  });

  test('a pause after "…an appointment for" outlasts a short pause; the rest ends the turn', async () => {
    const stream = detector.stream();
    try {
      const start = await speakAsCaller('I would like to book an appointment for');
      const probability = await predictEndOfTurn(stream, model, start);
      detector.hearTranscript(await transcribe(stt, start));
      const atPause = { probability, threshold: await thresholdOf(stream) };
      assert.equal(endpointingWait(atPause, endpointing), endpointing.maxDelay);

      // The caller goes on within that wait; the framework asks again at their next pause.
      const rest = await speakAsCaller('tomorrow morning');
      const restProbability = await predictEndOfTurn(stream, model, rest);
      detector.hearTranscript(await transcribe(stt, rest));
      const atEnd = { probability: restProbability, threshold: await thresholdOf(stream) };
      assert.equal(endpointingWait(atEnd, endpointing), endpointing.minDelay);
    } finally {
      await stream.aclose();
    }
  });
});
