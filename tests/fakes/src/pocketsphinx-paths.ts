import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PocketSphinxPaths, pocketSphinxPaths, buildShim } from '@parley/agent';

/**
 * PocketSphinx paths for tests: `PARLEY_PS_STREAM_BIN` when set, else a shim built into a
 * temporary folder. Call `cleanup()` when done.
 */
export function testPocketSphinxPaths(): { paths: PocketSphinxPaths; cleanup(): void } {
  if (process.env.PARLEY_PS_STREAM_BIN) return { paths: pocketSphinxPaths(), cleanup: () => {} };
  const dir = mkdtempSync(join(tmpdir(), 'parley-shim-'));
  return {
    paths: pocketSphinxPaths({ ...process.env, PARLEY_PS_STREAM_BIN: buildShim(dir) }),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
