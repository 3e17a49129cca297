import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { AGENT_DIR } from '../package-dir.js';

const NATIVE_DIR = join(AGENT_DIR, 'native');

/**
 * Builds the PocketSphinx shim into `outDir` with `make` (a no-op when it is up to date) and
 * returns its path. Needs gcc, make, pkg-config and Debian's libpocketsphinx-dev.
 */
export function buildShim(outDir: string): string {
  const result = spawnSync('make', ['-s', '-C', NATIVE_DIR, `OUT=${outDir}`], { encoding: 'utf8' });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`building the PocketSphinx shim failed:\n${result.stdout}${result.stderr}`);
  }
  return join(outDir, 'parley-ps-stream');
}
