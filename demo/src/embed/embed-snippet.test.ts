import assert from 'node:assert/strict';
import { test } from 'node:test';
import { embedSnippet } from './embed-snippet.js';

test('with the loader defaults, the snippet is the README one-liner', () => {
  assert.equal(
    embedSnippet({
      origin: 'https://parley.example.com/',
      persona: 'default',
      position: 'bottom-right',
      theme: 'light',
    }),
    '<script src="https://parley.example.com/widget/parley.js" data-persona="default" async></script>',
  );
});

test('every chosen option becomes its data attribute', () => {
  assert.equal(
    embedSnippet({
      origin: 'http://127.0.0.1:8787',
      persona: 'sales',
      position: 'bottom-left',
      theme: 'dark',
      accent: '#0f766e',
      lang: 'fr',
    }),
    '<script src="http://127.0.0.1:8787/widget/parley.js" data-persona="sales" ' +
      'data-position="bottom-left" data-theme="dark" data-accent="#0f766e" data-lang="fr" async></script>',
  );
});

test('attribute values cannot break out of their quotes', () => {
  const snippet = embedSnippet({
    origin: 'https://x.example',
    persona: 'a"><img src=x onerror=alert(1)>',
    position: 'bottom-right',
    theme: 'light',
  });
  assert.ok(
    snippet.includes('data-persona="a&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"'),
    snippet,
  );
  assert.equal(snippet.match(/</g)?.length, 2, snippet);
});
