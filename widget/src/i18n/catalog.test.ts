import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { catalogs, errorMessage, messagesFor } from './catalog.js';
import { en } from './en.js';
import { launcherLabel } from './launcher-labels.js';

/** Dotted paths of every string in a catalog, e.g. `status.listening`. */
function keys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, child]) =>
    keys(child, prefix ? `${prefix}.${key}` : key),
  );
}

function lookup(value: unknown, path: string): unknown {
  let current = value;
  for (const part of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

describe('i18n catalogs', () => {
  const reference = keys(en).sort();

  it('there is English and at least one other language', () => {
    assert.ok(Object.keys(catalogs).length >= 2, Object.keys(catalogs).join(', '));
    assert.equal(catalogs['en'], en);
  });

  for (const [lang, messages] of Object.entries(catalogs)) {
    it(`when the language is "${lang}", then every English key exists and no other`, () => {
      assert.deepEqual(keys(messages).sort(), reference);
    });

    it(`when the language is "${lang}", then every string but the idle status is non-empty`, () => {
      for (const key of reference) {
        const text = lookup(messages, key);
        assert.equal(typeof text, 'string', key);
        if (key !== 'status.idle') assert.notEqual(text, '', `${lang}: ${key} is empty`);
      }
    });
  }

  it('when a language is not English, then its strings are translated, not copied', () => {
    for (const [lang, messages] of Object.entries(catalogs)) {
      if (lang === 'en') continue;
      assert.notEqual(messages.launcher, en.launcher, lang);
      assert.notEqual(messages.errors.microphone_denied, en.errors.microphone_denied, lang);
    }
  });

  it('picks the catalog by primary language subtag, case-insensitively, English otherwise', () => {
    assert.equal(messagesFor('fr-CA').lang, 'fr');
    assert.equal(messagesFor('FR').lang, 'fr');
    assert.equal(messagesFor('en-GB').lang, 'en');
    assert.equal(messagesFor('de-DE').lang, 'en');
    assert.equal(messagesFor('').lang, 'en');
    assert.equal(messagesFor(undefined).lang, 'en');
  });

  it('the loader’s launcher text matches each catalog', () => {
    for (const [lang, messages] of Object.entries(catalogs)) {
      assert.equal(launcherLabel(`${lang}-XX`), messages.launcher, lang);
    }
    assert.equal(launcherLabel('de'), en.launcher);
  });

  it('uses its own words for the widget’s errors and the server’s message for the rest', () => {
    const fr = messagesFor('fr');
    assert.equal(errorMessage(fr, 'microphone_denied', 'blocked'), fr.errors.microphone_denied);
    assert.equal(
      errorMessage(fr, 'rate_limited', 'too many session requests; try again in a minute'),
      'too many session requests; try again in a minute',
    );
    assert.equal(errorMessage(fr, 'toString', 'from the server'), 'from the server');
  });
});
