import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { BUNDLE_BUDGETS, WIDGET_DIST, bundleSize } from '../support/bundle-size.js';

const DIST = WIDGET_DIST;

describe('widget bundle size budgets', () => {
  for (const [file, budget] of Object.entries(BUNDLE_BUDGETS)) {
    it(`${file} stays within ${budget / 1000} kB gzip`, () => {
      const size = bundleSize(file as keyof typeof BUNDLE_BUDGETS).gzipBytes;
      assert.ok(
        size <= budget,
        `${file} is ${(size / 1000).toFixed(2)} kB gzip, over its ${budget / 1000} kB budget`,
      );
    });
  }

  it('the loader does not bundle the element: it imports parley-voice.js at run time', () => {
    const loader = readFileSync(path.join(DIST, 'parley.js'), 'utf8');
    assert.match(loader, /parley-voice\.js/);
    assert.doesNotMatch(loader, /livekit|LitElement/i);
  });
});
