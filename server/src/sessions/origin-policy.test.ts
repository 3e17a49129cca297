import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PersonaSchema } from '@parley/contracts';
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

test('in development any localhost page may ask; in production it must be listed', () => {
  for (const origin of ['http://localhost:5173', 'http://127.0.0.1:3000', 'http://[::1]:8080']) {
    assert.equal(isOriginAllowed(origin, persona([]), own, true), true, origin);
    assert.equal(isOriginAllowed(origin, persona([]), own, false), false, origin);
  }
  assert.equal(isOriginAllowed('http://localhost.evil.example', persona([]), own, true), false);
  assert.equal(isOriginAllowed('https://localhost:5173', persona([]), own, true), false);
});
