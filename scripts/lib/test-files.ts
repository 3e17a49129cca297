/** Where the test files are: each package's unit tests (`src/`, `test/`) and the cross-package suites. */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './stack.js';

/**
 * V8 flags for the processes that run test files (never for the stack's own components). Liftoff
 * only: V8 would otherwise recompile PGlite's 9 MB of WebAssembly with its optimising compiler in
 * every test process that opens a database, about 1.1 CPU-s each; the tests run few enough
 * queries that the baseline compiler's code is as fast for them. It cut the unit run's CPU by a
 * fifth (202 → 163 CPU-s).
 */
export const TEST_PROCESS_FLAGS = ['--liftoff-only'];

/** The workspace packages with unit tests of their own, in dependency order. */
export const PACKAGES = ['server/contracts', 'server', 'agent', 'widget', 'demo', 'sip'];

/** Test-only workspace packages (fakes, suites): type-checked, never shipped. */
export const TEST_PACKAGES = ['tests/fakes', 'tests'];

/** Chaos runs start and break stacks of their own: `npm run test:chaos`, not `npm test`. */
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'chaos', 'artifacts']);

/** Every `*.test.ts` under `dir` (relative to the repository), sorted. */
export function findTests(dir: string): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      if (SKIPPED_DIRS.has(name) || name.startsWith('.')) continue;
      const full = path.join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.test.ts')) found.push(path.relative(REPO_ROOT, full));
    }
  };
  const root = path.join(REPO_ROOT, dir);
  try {
    if (statSync(root).isDirectory()) walk(root);
  } catch {
    // A package without a `test/` folder has nothing there.
    return [];
  }
  return found.sort();
}

/** Each package's own tests, `src/` then `test/`. */
export function packageTests(): string[] {
  return PACKAGES.flatMap((p) => [...findTests(`${p}/src`), ...findTests(`${p}/test`)]);
}

/** The package a test file belongs to: the longest package folder it is under. */
export function packageOf(file: string): string {
  const owners = PACKAGES.filter((p) => file.startsWith(`${p}/`));
  return owners.sort((a, b) => b.length - a.length)[0] ?? '';
}

/**
 * Whether a package test is of a slower tier than unit: a browser (`test/browser/`) or the built,
 * packed package (`test/package/`). `npm test` runs them; the unit run leaves them out.
 */
export function isPackageTier(file: string): boolean {
  return /\/test\/(browser|package)\//.test(file);
}

/**
 * Whether a package test needs the running stack: such files read `PARLEY_TEST_STACK`, which only
 * `npm test` (scripts/test.ts) sets; the unit run leaves them to it rather than report them skipped.
 */
export function needsStack(file: string): boolean {
  return readFileSync(path.join(REPO_ROOT, file), 'utf8').includes('PARLEY_TEST_STACK');
}
