/** Formatting and a replayable random generator for the load run (percentiles: ../bench/stats.ts). */

/** `1234.5` → `"1235 ms"`; `-` when there is no (finite) value, e.g. the p50 of nothing. */
export function ms(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? '-' : `${Math.round(value)} ms`;
}

export function mb(bytes: number | undefined): string {
  return bytes === undefined ? '-' : `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

/** A deterministic pseudo-random generator (mulberry32), so a run can be replayed by its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
