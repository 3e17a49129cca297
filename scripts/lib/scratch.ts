import { accessSync, constants } from 'node:fs';
import os from 'node:os';

/**
 * Where the test harnesses keep throwaway database files (PGlite data directories and their
 * templates, the throwaway PostgreSQL cluster): RAM-backed `/dev/shm` when this machine has one
 * we may write to, else the temp dir. The unit run copies a 40 MB PGlite template fifty times;
 * on ext4 a copy and its removal cost about 0.4 CPU-s (page cache, journal, writeback), on tmpfs
 * about 0.08 — sampled over a whole unit run, 192 → 162 CPU-s.
 */
export const SCRATCH_DIR = ramDisk() ?? os.tmpdir();

function ramDisk(): string | undefined {
  try {
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return undefined;
  }
}
