import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export const WIDGET_DIST = path.resolve(import.meta.dirname, '../../widget/dist');

/** Gzip size budgets of the built widget files, in bytes (1 kB = 1000 bytes, as Vite reports). */
export const BUNDLE_BUDGETS = {
  /** The script-tag loader: it runs on every page view, call or not. */
  'parley.js': 5_000,
  /** The element with lit and livekit-client, loaded on intent. */
  'parley-voice.js': 170_000,
} as const;

export interface BundleSize {
  file: string;
  bytes: number;
  gzipBytes: number;
  budgetGzipBytes: number;
}

/** Raw and gzip sizes of one built widget file; throws if the widget is not built. */
export function bundleSize(file: keyof typeof BUNDLE_BUDGETS): BundleSize {
  const full = path.join(WIDGET_DIST, file);
  if (!existsSync(full)) {
    throw new Error(
      `${full} is missing: build the widget first (pnpm --filter @parley/widget build)`,
    );
  }
  const content = readFileSync(full);
  return {
    file,
    bytes: content.length,
    gzipBytes: gzipSync(content).length,
    budgetGzipBytes: BUNDLE_BUDGETS[file],
  };
}
