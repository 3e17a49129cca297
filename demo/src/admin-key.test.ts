import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keyFromFragment } from './admin-key.js';

test('the dev link’s #key= fragment gives the key, decoded and trimmed', () => {
  assert.equal(keyFromFragment('#key=abc123'), 'abc123');
  assert.equal(keyFromFragment('#key=a%2Bb%3D'), 'a+b=');
  assert.equal(keyFromFragment('#key=%20k%20'), 'k');
});

test('other fragments, empty keys and malformed escapes give no key', () => {
  for (const hash of [
    '',
    '#',
    '#/talk',
    '#key=',
    '#key=%20',
    '#key=%E0%A4%A',
    '#/calls?key=x',
    '#key=a&b',
  ]) {
    assert.equal(keyFromFragment(hash), undefined, hash);
  }
});
