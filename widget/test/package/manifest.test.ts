/**
 * The built package as bundlers and editors see it: type declarations for its entry point and a
 * custom-elements manifest that lists everything `<parley-voice>` offers. `npm test` builds the
 * widget before its suites; run alone, this builds it when `dist/` has no manifest yet.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { EMBED_ATTRIBUTES } from '../../src/attributes.js';

const WIDGET = path.resolve(import.meta.dirname, '../..');
const DIST = path.join(WIDGET, 'dist');
const PNPM = path.resolve(WIDGET, '../.tools/pnpm/node_modules/.bin/pnpm');

before(() => {
  if (!existsSync(path.join(DIST, 'custom-elements.json'))) {
    execFileSync(PNPM, ['run', 'build'], { cwd: WIDGET, stdio: 'inherit' });
  }
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
