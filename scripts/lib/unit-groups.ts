/**
 * The unit run's process layout. Starting Node, tsx and a package's imports (`@livekit/agents` alone
 * is ~1.6 s of CPU) for each of a hundred test files cost more CPU than most files' tests, so the
 * unit run loads several files into one `node --test` process: a generated entry wraps each file
 * in a suite of its own, so its top-level `before`/`after`/`beforeEach` hooks stay its own. The
 * group's files are all imported up front, so a file's module-level code runs before the earlier
 * files' tests: files that share a process must not change globals at import. `npm test` keeps
 * one process per file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './stack.js';

/**
 * Whether a file must keep a process of its own: the server's storage harness
 * (`server/test/test-backends.ts`) cleans up after each `forEachBackend` group, but what a file
 * opens outside one is only cleaned up after the first file in the process that used the harness.
 */
export function needsOwnProcess(file: string): boolean {
  const source = readFileSync(path.join(REPO_ROOT, file), 'utf8');
  return (
    /test-backends\.js'|'@parley\/server\/testing'/.test(source) &&
    !source.includes('forEachBackend(')
  );
}

/** Splits `files` into `count` groups of about equal size, keeping each group's files in order. */
export function splitFiles(files: string[], count: number): string[][] {
  const groups: string[][] = Array.from({ length: Math.min(count, files.length) }, () => []);
  files.forEach((file, i) => groups[i % groups.length]?.push(file));
  return groups;
}

/**
 * Writes an entry module at `entry` that runs `files` (relative to the repository) one after
 * another, each inside a suite named after it.
 */
export function writeGroupEntry(entry: string, files: string[]): void {
  const urls = files.map((file) => [file, pathToFileURL(path.join(REPO_ROOT, file)).href]);
  writeFileSync(
    entry,
    `import { describe } from 'node:test';
for (const [file, url] of ${JSON.stringify(urls)}) {
  describe(file, () => import(url));
}
`,
  );
}
