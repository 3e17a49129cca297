import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pocketSphinxPaths } from '../src/config.js';
import { buildShim } from '../src/providers/build-shim.js';

/**
 * PocketSphinx's paths for a test: the streaming helper `PARLEY_PS_STREAM_BIN` names, or one
 * built into a temporary folder that `remove` deletes.
 */
export function recogniserPaths(): {
  paths: ReturnType<typeof pocketSphinxPaths>;
  remove(): void;
} {
  if (process.env.PARLEY_PS_STREAM_BIN) return { paths: pocketSphinxPaths(), remove() {} };
  const buildDir = mkdtempSync(join(tmpdir(), 'parley-shim-'));
  return {
    paths: pocketSphinxPaths({ PARLEY_PS_STREAM_BIN: buildShim(buildDir) }),
    remove: () => rmSync(buildDir, { recursive: true, force: true }),
  };
}
