/**
 * `npm run test:load [-- --minutes 10 --sessions 25 --seed 1 --database postgres|pglite]`: the
 * load and soak run (see README.md). Exits non-zero, one line per failure, when it fails.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LoadOptionsError, parseLoadOptions, USAGE } from './options.js';

// rtc-node (the simulated visitors) logs every frame at debug level unless NODE_ENV is
// production, and it reads NODE_ENV when it is first imported: set it before that.
process.env.NODE_ENV ??= 'production';

async function main(): Promise<number> {
  let options;
  try {
    options = parseLoadOptions(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof LoadOptionsError)) throw error;
    console.error(`${error.message}\n${USAGE}`);
    return 2;
  }
  const { ARTIFACTS, runLoad } = await import('./load-run.js');
  const { formatReport } = await import('./report.js');
  console.log(
    `starting the stack and ${options.sessions} callers for ${options.minutes} min ` +
      `(logs: tests/artifacts/load/stack.log)`,
  );
  const report = await runLoad(options);
  const file = path.join(ARTIFACTS, 'results.json');
  await writeFile(file, JSON.stringify(report, null, 2));
  console.log(formatReport(report).join('\n'));
  console.log(`results: ${path.relative(process.cwd(), file)}`);
  return report.passed ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
