/**
 * `npm run test:unit`: every package's unit tests, without the stack — the inner loop. A package's
 * files share a few processes rather than start one each (scripts/lib/unit-groups.ts). Suites that
 * need the running stack (they read `PARLEY_TEST_STACK`) are left to `npm test`, which runs
 * everything, as it does the widget's browser and package tiers. One throwaway PostgreSQL serves the storage suites, as in `npm test`.
 * `tsx scripts/unit.ts <package…>` (e.g. `server agent`) runs only those packages: each package's
 * `test` script is this, for itself (node 20's test runner expands no globs).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './lib/stack.js';
import { startPostgres } from './lib/postgres.js';
import {
  PACKAGES,
  TEST_PROCESS_FLAGS,
  isPackageTier,
  needsStack,
  packageOf,
  packageTests,
} from './lib/test-files.js';
import { needsOwnProcess, splitFiles, writeGroupEntry } from './lib/unit-groups.js';

/**
 * Groups of test files run in parallel processes, as many as there are cores: more would only
 * slow the audio suites that stream in real time (Flite, PocketSphinx, the cloud fakes).
 */
const CONCURRENCY = Number(
  process.env.PARLEY_UNIT_CONCURRENCY ?? Math.max(2, os.availableParallelism()),
);

/**
 * A group of files still running after five minutes has hung (the whole run takes under two): it
 * fails rather than holding the run forever.
 */
const GROUP_TIMEOUT_MS = 300_000;

/** How many processes each package's files are split over (scripts/lib/unit-groups.ts). */
const GROUPS_PER_PACKAGE: Record<string, number> = { server: 3, agent: 4 };

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((p) => !PACKAGES.includes(p));
  if (unknown.length > 0) {
    throw new Error(`unknown package ${unknown.join(', ')}: one of ${PACKAGES.join(', ')}`);
  }
  const all = packageTests().filter(
    (file) => wanted.length === 0 || wanted.includes(packageOf(file)),
  );
  const files = all.filter((file) => !needsStack(file) && !isPackageTier(file));
  process.stdout.write(
    `unit tests: ${files.length} files (${all.length - files.length} browser, package and stack suites left to npm test)\n`,
  );
  // Only the server's storage suites need PostgreSQL.
  const postgres = files.some((f) => packageOf(f) === 'server') ? await startPostgres() : undefined;
  const entryDir = mkdtempSync(path.join(os.tmpdir(), 'parley-unit-'));
  // The agent's groups first: they are the longest, so they should not start last.
  const order = ['agent', ...PACKAGES.filter((p) => p !== 'agent')];
  const entries = order.flatMap((pkg) =>
    splitFiles(
      files.filter((f) => packageOf(f) === pkg && !needsOwnProcess(f)),
      GROUPS_PER_PACKAGE[pkg] ?? 1,
    ).map((group, i) => {
      const entry = path.join(entryDir, `${pkg.replaceAll('/', '-')}-${i + 1}.test.mjs`);
      writeGroupEntry(entry, group);
      return entry;
    }),
  );
  const alone = files.filter(needsOwnProcess);
  const status = await new Promise<number>((resolve) => {
    const run = spawn(
      process.execPath,
      [
        ...TEST_PROCESS_FLAGS,
        '--import',
        'tsx',
        '--test',
        `--test-timeout=${GROUP_TIMEOUT_MS}`,
        `--test-concurrency=${CONCURRENCY}`,
        ...entries,
        ...alone,
      ],
      {
        cwd: REPO_ROOT,
        stdio: 'inherit',
        env: {
          ...process.env,
          NODE_ENV: 'production',
          ...(postgres && { DATABASE_URL: postgres.url }),
        },
      },
    );
    run.once('exit', (code) => resolve(code ?? 1));
  });
  await postgres?.stop();
  rmSync(entryDir, { recursive: true, force: true });
  process.exit(status);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
