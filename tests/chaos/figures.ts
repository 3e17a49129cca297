import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { CHAOS_ARTIFACTS } from './chaos-stack.js';

/** Every figure of a run, one JSON object a line; `run.ts` prints them as a table at the end. */
export const FIGURES_FILE = path.join(CHAOS_ARTIFACTS, 'figures.jsonl');

export interface Figure {
  suite: string;
  what: string;
  ms: number;
  /** The figure the issue asks for, when there is one. */
  targetMs?: number;
}

/** Records a measured duration: in the test's output and in {@link FIGURES_FILE}. */
export function figure(t: TestContext, suite: string, what: string, ms: number, targetMs?: number) {
  const entry: Figure = { suite, what, ms: Math.round(ms), targetMs };
  t.diagnostic(formatFigure(entry));
  mkdirSync(CHAOS_ARTIFACTS, { recursive: true });
  appendFileSync(FIGURES_FILE, `${JSON.stringify(entry)}\n`);
}

export function formatFigure({ suite, what, ms, targetMs }: Figure): string {
  const verdict =
    targetMs === undefined ? '' : ` (target ${targetMs} ms: ${ms <= targetMs ? 'met' : 'MISSED'})`;
  return `figure ${suite}: ${what} ${ms} ms${verdict}`;
}

export function clearFigures(): void {
  rmSync(FIGURES_FILE, { force: true });
}

export function readFigures(): Figure[] {
  if (!existsSync(FIGURES_FILE)) return [];
  return readFileSync(FIGURES_FILE, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Figure);
}
