/**
 * The patches on @livekit/agents 1.8.1 (patches/@livekit__agents@1.8.1.patch). First, its `readStream`,
 * which the voice pipeline reads every audio frame through (the STT input among others), raced
 * each read against one abort promise that lives as long as the call. Every race left a reaction
 * on that promise holding the read's result, so a call kept every frame it had heard: about
 * 100 frames a second, 2 kB each with their promises (heap snapshots of a long call: +17 192
 * AudioFrames in 172 s, all reachable only through that chain). 1.9.0 has the same code.
 * This is also the minimal reproduction for upstream: it fails without the patch.
 */
import { initializeLogger, readStream } from '@livekit/agents';
import type { ChildProcess } from 'node:child_process';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { sleep, until } from '../test/wait.js';

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

/**
 * The second patch: a cap on the process pool's job processes (`maxProcesses`, which Parley sets
 * to the calls a worker takes). LiveKit Agents keeps `numIdleProcesses` warm whatever runs, so a
 * worker full of calls went on starting idle processes (about 2 CPU-s each) it could not use.
 * The third: a warm process that exits before a job takes it leaves the warm queue.
 */
test('the process pool starts no job process beyond maxProcesses, and replaces a warm one that exits', async () => {
  initializeLogger({ pretty: false, level: 'warn' });
  const agentsDir = path.dirname(createRequire(import.meta.url).resolve('@livekit/agents'));
  const { ProcPool } = (await import(
    pathToFileURL(path.join(agentsDir, 'ipc/proc_pool.js')).href
  )) as { ProcPool: new (opts: Record<string, unknown>) => TestPool };
  const pool = new ProcPool({
    agent: fileURLToPath(new URL('../test/idle-agent.fixture.ts', import.meta.url)),
    numIdleProcesses: 3,
    maxProcesses: 2,
    initializeTimeout: 30_000,
    closeTimeout: 5_000,
    sessionEndTimeout: 60_000,
    memoryWarnMB: 0,
    memoryLimitMB: 0,
  });
  const warm = () => pool.warmedProcQueue.items.length;
  try {
    pool.start();
    await until(() => warm() === 2, 60_000, 'two warm job processes');
    // The pool starts its processes one after another; a third would be on its way by now.
    await sleep(2_000);
    assert.equal(pool.processes.length, 2, 'job processes with numIdleProcesses 3, maxProcesses 2');

    const first = pool.warmedProcQueue.items[0]?.proc.proc;
    assert.ok(first?.pid, 'a warm process with a pid');
    const exited = new Promise((resolve) => first.once('exit', resolve));
    first.kill('SIGKILL');
    await exited;
    // The dead process leaves the warm queue (LiveKit Agents kept it there, for a call to get)
    // and a new one takes its place.
    const dead = () => pool.warmedProcQueue.items.some((i) => i.proc.proc === first);
    await until(() => warm() === 2 && !dead(), 60_000, 'a replacement');
    await sleep(2_000);
    assert.equal(pool.processes.length, 2, 'still two after the replacement');
  } finally {
    await pool.close();
  }
});

interface TestPool {
  start(): void;
  close(): Promise<void>;
  readonly processes: readonly { proc?: ChildProcess }[];
  readonly warmedProcQueue: { items: { proc: { proc?: ChildProcess } }[] };
}
