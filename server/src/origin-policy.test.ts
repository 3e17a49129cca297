import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PersonaSchema } from './contracts/index.js';
import { isOriginAllowed } from './origin-policy.js';

const persona = (allowedOrigins: string[]) =>
  PersonaSchema.parse({ id: 'p', name: 'P', greeting: 'Hi', instructions: '', allowedOrigins });
const own = new Set(['http://127.0.0.1:8787']);

test('an origin must match exactly: scheme, host and port', () => {
  const p = persona(['https://shop.example']);
  assert.equal(isOriginAllowed('https://shop.example', p, own), true);
  assert.equal(isOriginAllowed('http://shop.example', p, own), false);
  assert.equal(isOriginAllowed('https://shop.example:8443', p, own), false);
  assert.equal(isOriginAllowed('https://evil.shop.example', p, own), false);
});

test("the server's own origin is always allowed, and '*' allows every origin", () => {
  assert.equal(isOriginAllowed('http://127.0.0.1:8787', persona([]), own), true);
  assert.equal(isOriginAllowed('https://any.example', persona(['*']), own), true);
  assert.equal(isOriginAllowed('https://any.example', persona([]), own), false);
});
