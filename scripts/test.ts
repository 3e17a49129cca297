/**
 * `npm test` (after bootstrap): lint, type-check, build, start the real stack on test ports, then run
 * every unit and end-to-end suite in one `node --test` run against it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT, startStack } from './lib/stack.js';
import { TEST_PORTS } from './lib/stack-config.js';
import { startPostgres } from './lib/postgres.js';
import {
  PACKAGES,
  TEST_PACKAGES,
  TEST_PROCESS_FLAGS,
  findTests,
  packageTests,
} from './lib/test-files.js';

/**
 * `tsx scripts/test.ts <files…>` runs just those suites against the stack, without lint and
 * type-checks, and keeps its artifacts apart (per port offset) so parallel runs do not collide.
 */
const ONLY = process.argv.slice(2);
const ARTIFACTS = path.join(
  REPO_ROOT,
  'tests',
  'artifacts',
  ...(ONLY.length > 0 ? [`partial-${process.env.PARLEY_TEST_PORT_OFFSET ?? '0'}`] : []),
);
const BIN = path.join(REPO_ROOT, 'node_modules', '.bin');

function run(label: string, command: string, args: string[], env?: NodeJS.ProcessEnv): void {
  process.stdout.write(`\n==> ${label}\n`);
  const result = spawnSync(command, args, {
    cwd: REPO_ROOT,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  if (result.status !== 0) {
    process.stdout.write(`\n${label} failed\n`);
    process.exit(result.status ?? 1);
  }
}

const PNPM = path.join(REPO_ROOT, '.tools/pnpm/node_modules/.bin/pnpm');

const TAP_FILE = path.join(ARTIFACTS, 'results.tap');

/** One plain closing line, whatever reporter a reader understands. */
function printTotals(): void {
  const tap = readFileSync(TAP_FILE, 'utf8');
  const count = (key: string) => Number(new RegExp(`^# ${key} (\\d+)$`, 'm').exec(tap)?.[1] ?? 0);
  const skipped = count('skipped') + count('todo');
  process.stdout.write(
    `\nParley: ${count('pass')} passed, ${count('fail') + count('cancelled')} failed`,
  );
  process.stdout.write(skipped > 0 ? `, ${skipped} skipped\n` : '\n');
}

async function main(): Promise<void> {
  if (ONLY.length === 0) {
    run('lint', path.join(BIN, 'eslint'), ['--max-warnings=0', '.']);
    run('format', path.join(BIN, 'prettier'), ['--check', '--log-level=warn', '.']);
    // What may import what: no reach into a sibling's src/, no cycles (.dependency-cruiser.cjs).
    // The package's `deps` script, so the folders it checks are listed once.
    run('dependency rules', PNPM, ['run', '--silent', 'deps']);
    for (const pkg of [...PACKAGES, ...TEST_PACKAGES, 'scripts']) {
      run(`typecheck ${pkg}`, path.join(BIN, 'tsc'), ['-p', pkg]);
    }
  }
  run('build widget and demo', PNPM, [
    '--filter',
    '@parley/widget',
    '--filter',
    '@parley/demo',
    'build',
  ]);

  // First, so a failed stack start (which cleans up after itself) leaves nothing behind.
  // One throwaway PostgreSQL for every storage suite (each makes its own databases in it).
  const postgres = await startPostgres();
  process.stdout.write(`PostgreSQL ${postgres.version} for the storage suites\n`);

  await mkdir(ARTIFACTS, { recursive: true });
  const stateDir = await mkdtemp(path.join(os.tmpdir(), 'parley-test-stack-'));
  const log = createWriteStream(path.join(ARTIFACTS, 'stack.log'));
  process.stdout.write(
    '\n==> starting the stack (Redis, livekit-server, livekit-sip, server, agent) on test ports\n',
  );
  const stack = await startStack({
    ports: TEST_PORTS,
    stateDir,
    onLine: (name, line) => log.write(`[${name}] ${line}\n`),
    // The server refuses a session once the workers are full, and a session nobody joins holds
    // its slot for 10 s. The security suites ask for 600 sessions within seconds to reach the
    // rate limits, and other suites keep earlier calls open while they test the next: this
    // worker's slots must not run out first. Admission itself is tested on a stack of its own
    // with one slot (tests/e2e/admission.test.ts).
    agentEnv: { PARLEY_AGENT_MAX_JOBS: '1000' },
  });
  process.stdout.write(`stack ready at ${stack.url} (logs: tests/artifacts/stack.log)\n`);

  const files = ONLY.length > 0 ? ONLY : packageTests().concat(findTests('tests'));
  process.stdout.write(`\n==> node --test: ${files.length} files\n`);
  // Not spawnSync: this process must keep draining the stack's output while the suites run, or
  // the components block on full stdout pipes and stop answering.
  const suites = spawn(
    process.execPath,
    [
      ...TEST_PROCESS_FLAGS,
      '--import',
      'tsx',
      '--test',
      '--test-concurrency=1',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${TAP_FILE}`,
      ...files,
    ],
    {
      cwd: REPO_ROOT,
      stdio: 'inherit',
      env: {
        ...process.env,
        // rtc-node logs at debug level unless NODE_ENV is production.
        NODE_ENV: 'production',
        DATABASE_URL: postgres.url,
        PARLEY_TEST_STACK: JSON.stringify({
          url: stack.url,
          livekitUrl: stack.livekitUrl,
          secrets: stack.secrets,
          spoolDir: stack.spoolDir,
          sipAddress: stack.sipAddress,
        }),
      },
    },
  );
  const status = await new Promise<number>((resolve) => {
    suites.once('exit', (code) => resolve(code ?? 1));
  });
  await stack.stop();
  await postgres.stop();
  log.end();
  printTotals();
  await rm(stateDir, { recursive: true, force: true });
  process.exit(status);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
