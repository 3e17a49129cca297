import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describe, test } from 'node:test';
import {
  cpuByProcessName,
  meanChildRss,
  memoryTrend,
  ProcessGoneError,
  rootRss,
  sampleTree,
  TreeSampler,
  type ProcessSample,
  type SeriesPoint,
  type TreeSample,
} from './process-stats.js';

const MB = 1024 * 1024;

/**
 * A parent process that starts `child` (Node code), reports its pid, waits for it when it
 * exits, then prints `reaped` and stays alive until killed.
 */
function parentOf(child: string): { parent: ChildProcess; lines: AsyncIterableIterator<string> } {
  const parent = spawn(
    process.execPath,
    [
      '-e',
      `const { spawn } = require('node:child_process');
       const c = spawn(process.execPath, ['-e', ${JSON.stringify(child)}], { stdio: 'inherit' });
       console.log(c.pid);
       c.on('exit', () => console.log('reaped'));
       setInterval(() => {}, 1000);`,
    ],
    // Its own process group, so the test can stop the child along with it.
    { stdio: ['ignore', 'pipe', 'inherit'], detached: true },
  );
  const lines = createInterface({ input: parent.stdout as NodeJS.ReadableStream })[
    Symbol.asyncIterator
  ]();
  return { parent, lines };
}

async function nextLine(lines: AsyncIterableIterator<string>): Promise<string> {
  const { value, done } = await lines.next();
  assert.ok(!done, 'the parent process ended early');
  return value;
}

async function stop(parent: ChildProcess): Promise<void> {
  const exited = parent.exitCode === null && parent.signalCode === null && once(parent, 'exit');
  process.kill(-(parent.pid as number), 'SIGKILL');
  await exited;
}

describe('sampleTree', () => {
  test('a tree counts the memory of its live descendants', async () => {
    // The child fills 96 MB (so it is resident), says so, then idles.
    const { parent, lines } = parentOf(
      `globalThis.keep = Buffer.alloc(${96 * MB}, 1); console.log('filled'); setInterval(() => {}, 1000);`,
    );
    try {
      const childPid = Number(await nextLine(lines));
      assert.equal(await nextLine(lines), 'filled');
      const tree = sampleTree(parent.pid as number);
      assert.deepEqual(
        tree.processes.map((p) => p.pid),
        [parent.pid, childPid],
      );
      const child = tree.processes[1];
      assert.ok(child && child.rssBytes > 96 * MB, `child RSS ${child?.rssBytes}`);
      assert.equal(child.ppid, parent.pid);
      assert.equal(
        tree.rssBytes,
        tree.processes.reduce((sum, p) => sum + p.rssBytes, 0),
      );
      const alone = sampleTree(parent.pid as number, { descendants: false });
      assert.deepEqual(
        alone.processes.map((p) => p.pid),
        [parent.pid],
      );
      assert.ok(alone.rssBytes < 96 * MB, `the parent alone holds ${alone.rssBytes} bytes`);
    } finally {
      await stop(parent);
    }
  });

  test('the CPU of a descendant that has exited still counts once its parent reaped it', async () => {
    // The child spins until it has used 300 ms of CPU, then exits.
    const { parent, lines } = parentOf(
      `while (process.cpuUsage().user < 300_000) {} process.exit(0);`,
    );
    try {
      await nextLine(lines);
      assert.equal(await nextLine(lines), 'reaped');
      const tree = sampleTree(parent.pid as number);
      assert.equal(tree.processes.length, 1, 'only the parent is left');
      assert.ok(tree.cpuSeconds >= 0.3, `tree CPU ${tree.cpuSeconds} s`);
      const own = tree.processes[0]?.cpuSeconds ?? 0;
      assert.ok(own < 0.3, `the parent itself idled, yet used ${own} s`);
    } finally {
      await stop(parent);
    }
  });

  test('when the root process is gone, then sampling it throws ProcessGoneError', async () => {
    const gone = spawn(process.execPath, ['-e', '0']);
    await once(gone, 'exit');
    assert.throws(() => sampleTree(gone.pid as number), ProcessGoneError);
  });
});

describe('TreeSampler', () => {
  test('each point holds the trees whose roots exist, and stop() takes a last sample', () => {
    const sampler = new TreeSampler(
      { self: { pid: () => process.pid }, none: { pid: () => undefined } },
      60_000,
    );
    sampler.start();
    const series = sampler.stop();
    assert.equal(series.length, 2);
    for (const point of series) {
      assert.deepEqual(Object.keys(point.trees), ['self']);
      assert.equal(point.trees.self?.processes[0]?.pid, process.pid);
    }
  });
});

const proc = (
  pid: number,
  ppid: number,
  rssBytes: number,
  cpuSeconds = 0,
  name = pid === 1 ? 'node' : 'worker',
): ProcessSample => ({
  pid,
  ppid,
  name,
  rssBytes,
  cpuSeconds,
  exitedChildrenCpuSeconds: 0,
});

describe('memoryTrend', () => {
  const tree = (rssBytes: number, rootBytes = rssBytes): TreeSample => ({
    rssBytes,
    cpuSeconds: 0,
    processes: [proc(1, 0, rootBytes)],
  });
  /** One point per second with the RSS `rss(second)`. */
  const series = (seconds: number, rss: (s: number) => number): SeriesPoint[] =>
    Array.from({ length: seconds + 1 }, (_, s) => ({ at: s * 1000, trees: { a: tree(rss(s)) } }));

  test('start-up growth in the first third does not count', () => {
    const trend = memoryTrend(
      series(90, (s) => (s < 30 ? s * 10 * MB : 300 * MB)),
      'a',
    );
    assert.ok(trend);
    assert.equal(trend.growth, 0);
    assert.equal(trend.minBytes, 0);
    assert.equal(trend.maxBytes, 300 * MB);
  });

  test('steady growth shows as the last third above the middle third', () => {
    const trend = memoryTrend(
      series(90, (s) => (100 + s) * MB),
      'a',
    );
    assert.ok(trend);
    // The middle third (seconds 30–60) averages 145 MB, the last (60–90) 175 MB.
    assert.ok(Math.abs(trend.growth - (175 / 145 - 1)) < 0.001, `growth ${trend.growth}`);
  });

  test('a selector follows part of the tree, e.g. the root process alone', () => {
    const points = series(90, (s) => (100 + s) * MB).map((p) => ({
      ...p,
      trees: { a: tree((p.trees.a as TreeSample).rssBytes, 50 * MB) },
    }));
    assert.equal(memoryTrend(points, 'a', rootRss)?.growth, 0);
  });

  test("meanChildRss follows the mean size of the root's children, however many there are", () => {
    // Children of 100 MB each (one with a 20 MB child of its own), 2 then 4 of them.
    const points: SeriesPoint[] = Array.from({ length: 91 }, (_, s) => {
      const children = s < 60 ? 2 : 4;
      const processes = [proc(1, 0, 50 * MB), proc(2, 1, 80 * MB), proc(3, 2, 20 * MB)];
      for (let c = 1; c < children; c++) processes.push(proc(10 + c, 1, 100 * MB));
      const rssBytes = processes.reduce((sum, p) => sum + p.rssBytes, 0);
      return { at: s * 1000, trees: { a: { rssBytes, cpuSeconds: 0, processes } } };
    });
    assert.ok((memoryTrend(points, 'a')?.growth ?? 0) > 0.5, 'the whole tree doubles');
    const perChild = memoryTrend(points, 'a', meanChildRss);
    assert.equal(perChild?.growth, 0);
    assert.equal(perChild?.maxBytes, 100 * MB);
  });

  test('without samples of the tree in both thirds, there is no trend', () => {
    assert.equal(
      memoryTrend(
        series(90, () => MB),
        'b',
      ),
      undefined,
    );
    assert.equal(
      memoryTrend(
        series(0, () => MB),
        'a',
      ),
      undefined,
    );
  });
});

describe('cpuByProcessName', () => {
  const point = (at: number, cpuSeconds: number, processes: ProcessSample[]): SeriesPoint => ({
    at,
    trees: { a: { rssBytes: 0, cpuSeconds, processes } },
  });

  test('splits the CPU used over the series by kind of process, the root apart', () => {
    const series = [
      point(0, 10, [proc(1, 0, 0, 10)]),
      // Two workers appear; the root has reaped a short-lived child that used 3 s.
      point(1000, 20, [proc(1, 0, 0, 11), proc(2, 1, 0, 2), proc(3, 1, 0, 1)]),
      point(2000, 26, [proc(1, 0, 0, 12), proc(2, 1, 0, 4), proc(3, 1, 0, 3)]),
    ];
    const { byName, exited } = cpuByProcessName(series, 'a');
    assert.deepEqual(byName, { 'node (root)': 2, worker: 7 });
    assert.equal(exited, 26 - 10 - 9);
  });
});
