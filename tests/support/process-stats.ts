/**
 * Memory and CPU of a process together with everything it started, read from Linux's /proc:
 * the agent worker with its job processes (and their PocketSphinx and Flite children), the
 * server, livekit-server. For load and soak runs and benchmarks.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessSample {
  pid: number;
  ppid: number;
  /** The executable's name as the kernel keeps it (`comm`, at most 15 characters). */
  name: string;
  rssBytes: number;
  /** User + system CPU of the process itself. */
  cpuSeconds: number;
  /** User + system CPU of its children that have exited and that it has waited for. */
  exitedChildrenCpuSeconds: number;
}

export interface TreeSample {
  /** Resident memory of the live processes of the tree. */
  rssBytes: number;
  /**
   * CPU time used by the tree so far, including descendants that have exited (their time is
   * folded into their parent's when it reaps them), so it only grows while the root lives.
   */
  cpuSeconds: number;
  /** The root first, then its descendants, breadth first. */
  processes: ProcessSample[];
}

export class ProcessGoneError extends Error {
  override readonly name = 'ProcessGoneError';
  readonly code = 'process_gone';
  constructor(readonly pid: number) {
    super(`process ${pid} does not exist (any more)`);
  }
}

let clockTicks: number | undefined;

/** Kernel clock ticks per second, the unit of CPU times in /proc/<pid>/stat. */
function ticksPerSecond(): number {
  clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return clockTicks;
}

interface StatLine {
  pid: number;
  name: string;
  ppid: number;
  ownTicks: number;
  childrenTicks: number;
}

/** Parses /proc/<pid>/stat; undefined when the process is gone or unreadable. */
function readStat(pid: number): StatLine | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // `comm` sits in parentheses and may itself hold spaces and parentheses: split after the last ')'.
  const close = text.lastIndexOf(')');
  const name = text.slice(text.indexOf('(') + 1, close);
  // Fields from 3 on (state, ppid, …); utime/stime/cutime/cstime are fields 14–17 (1-based).
  const fields = text
    .slice(close + 2)
    .split(' ')
    .map(Number);
  const field = (n: number) => fields[n - 3] ?? 0;
  return {
    pid,
    name,
    ppid: field(4),
    ownTicks: field(14) + field(15),
    childrenTicks: field(16) + field(17),
  };
}

/** VmRSS from /proc/<pid>/status, in bytes (0 for a zombie or a vanished process). */
function readRss(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}

function allStats(): StatLine[] {
  const stats: StatLine[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat) stats.push(stat);
  }
  return stats;
}

function toSample(stat: StatLine, tick: number): ProcessSample {
  return {
    pid: stat.pid,
    ppid: stat.ppid,
    name: stat.name,
    rssBytes: readRss(stat.pid),
    cpuSeconds: stat.ownTicks / tick,
    exitedChildrenCpuSeconds: stat.childrenTicks / tick,
  };
}

/** The tree of `pid` within one reading of /proc (`stats`). */
function treeFrom(stats: readonly StatLine[], pid: number, descendants: boolean): TreeSample {
  const root = stats.find((s) => s.pid === pid);
  if (!root) throw new ProcessGoneError(pid);
  const children = new Map<number, StatLine[]>();
  for (const stat of stats) {
    const siblings = children.get(stat.ppid) ?? [];
    siblings.push(stat);
    children.set(stat.ppid, siblings);
  }
  const tick = ticksPerSecond();
  const processes: ProcessSample[] = [];
  for (const queue = [root]; queue.length > 0;) {
    const stat = queue.shift() as StatLine;
    processes.push(toSample(stat, tick));
    if (descendants) queue.push(...(children.get(stat.pid) ?? []));
  }
  return {
    rssBytes: processes.reduce((sum, p) => sum + p.rssBytes, 0),
    cpuSeconds: processes.reduce((sum, p) => sum + p.cpuSeconds + p.exitedChildrenCpuSeconds, 0),
    processes,
  };
}

/**
 * Samples `pid` and (unless `descendants` is false) all its live descendants. Throws
 * {@link ProcessGoneError} when `pid` itself is gone; descendants that exit while being read
 * are left out.
 */
export function sampleTree(pid: number, { descendants = true } = {}): TreeSample {
  const root = descendants ? undefined : readStat(pid);
  return treeFrom(descendants ? allStats() : root ? [root] : [], pid, descendants);
}

/** One moment of a {@link TreeSampler}'s series: each watched tree at `at` (performance.now()). */
export interface SeriesPoint {
  at: number;
  trees: Record<string, TreeSample>;
}

/** What a {@link TreeSampler} watches under one name. */
export interface TreeRoot {
  /** Looked up on each sample, so a restarted component is followed; undefined skips it. */
  pid: () => number | undefined;
  /** False samples the root process alone. */
  descendants?: boolean;
}

/**
 * Samples named process trees every `intervalMs` until stopped. A tree whose root is gone is
 * left out of that point.
 */
export class TreeSampler {
  readonly series: SeriesPoint[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly roots: Record<string, TreeRoot>,
    private readonly intervalMs: number,
  ) {}

  start(): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    return this;
  }

  /** Takes a last sample and stops. */
  stop(): SeriesPoint[] {
    clearInterval(this.timer);
    this.sample();
    return this.series;
  }

  sample(): SeriesPoint {
    // One reading of /proc for every tree: cheaper, and the trees are of the same moment.
    const stats = allStats();
    const trees: Record<string, TreeSample> = {};
    for (const [name, root] of Object.entries(this.roots)) {
      const pid = root.pid();
      if (pid === undefined) continue;
      try {
        trees[name] = treeFrom(stats, pid, root.descendants ?? true);
      } catch (error) {
        if (!(error instanceof ProcessGoneError)) throw error;
      }
    }
    const point = { at: performance.now(), trees };
    this.series.push(point);
    return point;
  }
}

/**
 * Which memory of a tree a trend follows: the whole tree's by default. Undefined leaves the
 * sample out.
 */
export type RssOf = (tree: TreeSample) => number | undefined;

/** The root process alone (e.g. the agent worker without its job processes). */
export const rootRss: RssOf = (tree) => tree.processes[0]?.rssBytes;

/**
 * The mean RSS of the root's children, each with its own descendants (e.g. per agent job
 * process with its PocketSphinx child): a leak that makes later children bigger, independent of
 * how many children there are at the moment. Undefined without children.
 */
export const meanChildRss: RssOf = (tree) => {
  const [root, ...rest] = tree.processes;
  const children = rest.filter((p) => p.ppid === root?.pid).length;
  return children === 0 || !root ? undefined : (tree.rssBytes - root.rssBytes) / children;
};

/** How a tree's memory moved between the middle and the last third of a run. */
export interface MemoryTrend {
  /** Mean RSS of the samples in the middle third of the run's time span. */
  middleMeanBytes: number;
  /** Mean RSS of the samples in the last third. */
  lastMeanBytes: number;
  /** `lastMeanBytes / middleMeanBytes - 1`: 0.05 means the last third used 5 % more. */
  growth: number;
  minBytes: number;
  maxBytes: number;
}

/**
 * The memory trend of tree `name` over a series. The first third (start-up, ramp-up, caches
 * warming) is left out; a leak shows as the last third sitting above the middle third while
 * the load stays the same. Undefined when the series spans no time or either third has no
 * sample of that tree.
 */
export function memoryTrend(
  series: readonly SeriesPoint[],
  name: string,
  rssOf: RssOf = (tree) => tree.rssBytes,
): MemoryTrend | undefined {
  const points = series.flatMap((p) => {
    const tree = p.trees[name];
    const rss = tree && rssOf(tree);
    return rss === undefined ? [] : [{ at: p.at, rss }];
  });
  const first = points[0];
  const last = points.at(-1);
  if (!first || !last || last.at <= first.at) return undefined;
  const third = (last.at - first.at) / 3;
  const rssIn = (from: number, to: number) =>
    points.filter((p) => p.at >= from && p.at <= to).map((p) => p.rss);
  const middle = rssIn(first.at + third, first.at + 2 * third);
  const end = rssIn(first.at + 2 * third, last.at);
  if (middle.length === 0 || end.length === 0) return undefined;
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const all = points.map((p) => p.rss);
  const middleMeanBytes = mean(middle);
  const lastMeanBytes = mean(end);
  return {
    middleMeanBytes,
    lastMeanBytes,
    growth: lastMeanBytes / middleMeanBytes - 1,
    minBytes: Math.min(...all),
    maxBytes: Math.max(...all),
  };
}

/**
 * CPU seconds each kind of process (by name; the root apart) of tree `name` used over a series, from the
 * processes seen in at least one sample: a process first seen after the series began counts
 * from its start. `exited` is what the tree used beyond that — processes that lived between two
 * samples (a Flite run, say).
 */
export function cpuByProcessName(
  series: readonly SeriesPoint[],
  name: string,
): { byName: Record<string, number>; exited: number } {
  const points = series.flatMap((p) => (p.trees[name] ? [p.trees[name] as TreeSample] : []));
  const first = points[0];
  const last = points.at(-1);
  if (!first || !last) return { byName: {}, exited: 0 };
  const atStart = new Map(first.processes.map((p) => [p.pid, p.cpuSeconds]));
  const lastSeen = new Map<number, ProcessSample>();
  for (const tree of points) for (const p of tree.processes) lastSeen.set(p.pid, p);
  const byName: Record<string, number> = {};
  let observed = 0;
  const rootPid = first.processes[0]?.pid;
  for (const p of lastSeen.values()) {
    const used = p.cpuSeconds - (atStart.get(p.pid) ?? 0);
    const key = p.pid === rootPid ? `${p.name} (root)` : p.name;
    byName[key] = (byName[key] ?? 0) + used;
    observed += used;
  }
  return { byName, exited: Math.max(0, last.cpuSeconds - first.cpuSeconds - observed) };
}
