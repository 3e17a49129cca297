/**
 * End of turn on offline transcripts: speaks complete and unfinished utterances with Flite,
 * transcribes them with PocketSphinx (biased as in a call) and asks LiveKit's local end-of-turn
 * model, then prints how long the turn would wait with the model alone (before) and with the
 * transcript's ending moving its threshold (after), on the shipped `turnTaking` defaults.
 *
 *   tsx agent/bench/end-of-turn.ts
 */
import { initializeLogger } from '@livekit/agents';
import { dispose } from '@livekit/rtc-node';
import { TurnTakingSchema } from '@parley/contracts';
import { pocketSphinxPaths } from '../src/config.js';
import { recognitionPhrases } from '../src/pipeline.js';
import { PocketSphinxSTT } from '../src/providers/pocketsphinx-stt.js';
import { TranscriptAwareTurnDetector } from '../src/turn/transcript-aware-turn-detector.js';
import { transcriptEnding } from '../src/turn/transcript-ending.js';
import {
  COMPLETE_UTTERANCES,
  endpointingWait,
  InProcessEndOfTurnModel,
  judgeTurn,
  SHOP_PERSONA,
  speakAsCaller,
  transcribe,
  UNFINISHED_UTTERANCES,
} from '../test/end-of-turn.js';

initializeLogger({ pretty: false, level: 'warn' });
const turnTaking = TurnTakingSchema.parse({});
const endpointing = {
  minDelay: turnTaking.minEndpointingDelayMs,
  maxDelay: turnTaking.maxEndpointingDelayMs,
};
const model = new InProcessEndOfTurnModel();
const detector = new TranscriptAwareTurnDetector({
  unlikelyThreshold: turnTaking.endOfTurnThreshold,
  executor: model,
});
const stt = new PocketSphinxSTT({
  ...pocketSphinxPaths(),
  biasPhrases: recognitionPhrases(SHOP_PERSONA),
});

const rows: string[][] = [];
const tally = {
  complete: { before: 0, after: 0, n: 0 },
  unfinished: { before: 0, after: 0, n: 0 },
};
for (const [kind, utterances] of [
  ['complete', COMPLETE_UTTERANCES],
  ['unfinished', UNFINISHED_UTTERANCES],
] as const) {
  for (const said of utterances) {
    const speech = await speakAsCaller(said);
    const heard = await transcribe(stt, speech);
    const judgement = await judgeTurn(detector, model, speech, heard);
    const modelOnly = { ...judgement, threshold: 0.36 };
    const before = endpointingWait(modelOnly, endpointing);
    const after = endpointingWait(judgement, endpointing);
    // A complete turn should end after the short delay, an unfinished one wait the long one.
    const right = (wait: number) => (kind === 'complete') === (wait === endpointing.minDelay);
    tally[kind].n += 1;
    tally[kind].before += right(before) ? 1 : 0;
    tally[kind].after += right(after) ? 1 : 0;
    rows.push([
      kind,
      said,
      heard,
      judgement.probability.toFixed(3),
      `${before}`,
      transcriptEnding(heard),
      judgement.threshold.toFixed(2),
      `${after}`,
    ]);
  }
}
console.log(
  ['kind', 'said', 'heard', 'p(end)', 'wait before', 'ending', 'threshold', 'wait after'].join(
    ' | ',
  ),
);
for (const row of rows) console.log(row.join(' | '));
for (const [kind, { before, after, n }] of Object.entries(tally)) {
  console.log(`${kind}: right wait ${before}/${n} before, ${after}/${n} after`);
}
await stt.close();
await detector.aclose();
await dispose();
