import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { EMBED_ATTRIBUTES } from '../../widget/src/attributes.js';
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

interface ManifestDeclaration {
  tagName?: string;
  attributes?: { name: string }[];
  events?: { name: string }[];
  members?: { name: string; kind: string }[];
  cssParts?: { name: string }[];
  cssProperties?: { name: string }[];
}

describe('widget package for bundlers', () => {
  it('ships type declarations for its entry point', () => {
    const types = path.join(DIST, 'types/index.d.ts');
    assert.ok(existsSync(types), `${types} is missing`);
    const text = readFileSync(types, 'utf8');
    for (const name of ['ParleyVoice', 'ParleyToolCallEvent', 'ClientToolHandler']) {
      assert.match(text, new RegExp(`\\b${name}\\b`), `index.d.ts does not export ${name}`);
    }
  });

  it('its custom-elements manifest lists every attribute, event and method of <parley-voice>', () => {
    const file = path.join(DIST, 'custom-elements.json');
    assert.ok(existsSync(file), `${file} is missing`);
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as {
      modules: { declarations?: ManifestDeclaration[] }[];
    };
    const element = manifest.modules
      .flatMap((m) => m.declarations ?? [])
      .find((d) => d.tagName === 'parley-voice');
    assert.ok(element, 'no <parley-voice> in the manifest');
    assert.deepEqual(element.attributes?.map((a) => a.name).sort(), [...EMBED_ATTRIBUTES].sort());
    assert.deepEqual(element.events?.map((e) => e.name).sort(), [
      'parley-connected',
      'parley-continued-on-phone',
      'parley-ended',
      'parley-error',
      'parley-request-start',
      'parley-state',
      'parley-tool-call',
      'parley-transcript',
    ]);
    const methods = element.members?.filter((m) => m.kind === 'method').map((m) => m.name);
    for (const method of ['start', 'end', 'setMuted', 'sendText', 'setVariables', 'registerTool']) {
      assert.ok(methods?.includes(method), `method ${method} missing from the manifest`);
    }
    assert.ok((element.cssParts?.length ?? 0) >= 10, 'css parts are documented');
    assert.ok((element.cssProperties?.length ?? 0) >= 10, 'css properties are documented');
  });
});
