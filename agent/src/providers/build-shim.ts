import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const NATIVE_DIR = fileURLToPath(new URL('../../native/', import.meta.url));

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
