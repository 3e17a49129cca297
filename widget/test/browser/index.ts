/**
 * The browser tier in one process: imports every suite (`*.test.ts`) of this folder, so they share
 * one Chromium, one page and one bundle instead of starting their own (about 4 s each here). Run
 * with `node --import tsx --test test/browser/index.ts`; a suite file also runs alone.
 */
import { readdirSync } from 'node:fs';

const suites = readdirSync(import.meta.dirname)
  .filter((file) => file.endsWith('.test.ts'))
  .sort();
for (const suite of suites) await import(`./${suite}`);
