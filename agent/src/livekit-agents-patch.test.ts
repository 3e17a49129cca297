/**
 * The patch on @livekit/agents 1.8.1 (patches/@livekit__agents@1.8.1.patch): its `readStream`,
 * which the voice pipeline reads every audio frame through (the STT input among others), raced
 * each read against one abort promise that lives as long as the call. Every race left a reaction
 * on that promise holding the read's result, so a call kept every frame it had heard: about
 * 100 frames a second, 2 kB each with their promises (heap snapshots of a long call: +17 192
 * AudioFrames in 172 s, all reachable only through that chain). 1.9.0 has the same code.
 * This is also the minimal reproduction for upstream: it fails without the patch.
 */
import { readStream } from '@livekit/agents';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const READS = 2_000;

test('readStream with an abort signal lets go of what it has read', async () => {
  const refs: WeakRef<Uint8Array>[] = [];
  let produced = 0;
  const source = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = new Uint8Array(1024);
      refs.push(new WeakRef(chunk));
      controller.enqueue(chunk);
      produced += 1;
    },
  });
  const abort = new AbortController();
  const reading = readStream(source, abort.signal);
  for (let i = 0; i < READS; i += 1) {
    const next = await reading.next();
    assert.equal(next.done, false);
  }
  // The reader is still open (the call goes on): what it read before must be collectable.
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  const kept = refs.slice(0, READS - 10).filter((ref) => ref.deref() !== undefined).length;
  assert.ok(produced >= READS);
  assert.ok(kept < 10, `${kept} of ${READS - 10} chunks already read are still reachable`);
  abort.abort();
  assert.equal((await reading.next()).done, true);
});
