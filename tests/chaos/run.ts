/**
 * `npm run test:chaos` (after bootstrap): builds the widget when its bundle is older than its
 * sources, runs the chaos suites (`tests/chaos/*.chaos.test.ts`, or the files named on the
 * command line) one at a time, each on a stack of its own, then prints every measured figure.
 * Component logs: tests/artifacts/chaos/<suite>.log.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../scripts/lib/stack-config.js';
import { clearFigures, formatFigure, readFigures } from './figures.js';

const CHAOS_DIR = path.join(REPO_ROOT, 'tests', 'chaos');
const WIDGET = path.join(REPO_ROOT, 'widget');
const WIDGET_BUNDLE = path.join(WIDGET, 'dist', 'parley-voice.js');
const PNPM = path.join(REPO_ROOT, '.tools', 'pnpm', 'node_modules', '.bin', 'pnpm');

/** The newest modification time of the files under `dir`. */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile())
      newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

function buildWidgetIfStale(): void {
  if (
    existsSync(WIDGET_BUNDLE) &&
    statSync(WIDGET_BUNDLE).mtimeMs >= newestMtime(path.join(WIDGET, 'src'))
  ) {
    return;
  }
  process.stdout.write('==> building the widget\n');
  const build = spawnSync(PNPM, ['--filter', '@parley/widget', 'build'], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
  });
  if (build.status !== 0) {
    process.stdout.write('the widget build failed\n');
    process.exit(build.status ?? 1);
  }
}

function suites(): string[] {
  const named = process.argv.slice(2);
  if (named.length > 0) return named;
  return readdirSync(CHAOS_DIR)
    .filter((name) => name.endsWith('.chaos.test.ts'))
    .sort()
    .map((name) => path.join('tests', 'chaos', name));
}

async function main(): Promise<void> {
  buildWidgetIfStale();
  clearFigures();
  const files = suites();
  process.stdout.write(`==> chaos: ${files.length} suites, one stack each\n`);
  const started = performance.now();
  // Not spawnSync: the suites' output streams through while they run.
  const run = spawn(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files],
    {
      cwd: REPO_ROOT,
      stdio: 'inherit',
      // rtc-node logs at debug level unless NODE_ENV is production; a stack of the test command
      // must not be mistaken for the suites' own
      env: { ...process.env, NODE_ENV: 'production', PARLEY_TEST_STACK: undefined },
    },
  );
  const status = await new Promise<number>((resolve) =>
    run.once('exit', (code) => resolve(code ?? 1)),
  );
  process.stdout.write('\n==> chaos figures\n');
  for (const entry of readFigures()) process.stdout.write(`${formatFigure(entry)}\n`);
  const minutes = (performance.now() - started) / 60_000;
  process.stdout.write(
    `\nchaos: ${status === 0 ? 'passed' : 'FAILED'} in ${minutes.toFixed(1)} min\n`,
  );
  process.exit(status);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
