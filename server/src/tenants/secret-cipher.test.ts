import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import {
  SecretCipher,
  SecretCipherError,
  generateSecretsKey,
  isSecretsKey,
  type SecretCipherErrorCode,
} from './secret-cipher.js';

const ROW = ['secrets', 'ten_a', 'CRM_TOKEN'];
const code = (expected: SecretCipherErrorCode) => (err: unknown) =>
  err instanceof SecretCipherError && err.code === expected;

/** `sealed` with one base64url character of its part `index` (0-based, `:`-separated) changed. */
function altered(sealed: string, index: number): string {
  const parts = sealed.split(':');
  const part = parts[index] ?? '';
  const bytes = Buffer.from(part, 'base64url');
  bytes[0] = (bytes[0] ?? 0) ^ 0x01;
  parts[index] = bytes.toString('base64url');
  return parts.join(':');
}

describe('SecretCipher', () => {
  const key = generateSecretsKey();
  const cipher = new SecretCipher({ key });

  test('a sealed value opens to what was sealed, and shows neither it nor the key', () => {
    for (const plain of ['tok-1', 'ünïcødé ✓', 'x'.repeat(4096), '']) {
      const sealed = cipher.seal(plain, ROW);
      assert.match(sealed, /^parley-sealed:v1:[0-9a-f]{8}:[\w-]{16}:[\w-]{22,}$/);
      assert.equal(cipher.open(sealed, ROW), plain);
      if (plain.length > 0) assert.ok(!sealed.includes(plain));
      assert.ok(!sealed.includes(key));
      assert.ok(sealed.startsWith(cipher.currentPrefix));
    }
  });

  test('every seal draws a new nonce: one value sealed twice is stored two ways', () => {
    const seals = new Set(Array.from({ length: 50 }, () => cipher.seal('same', ROW)));
    assert.equal(seals.size, 50);
    const nonces = new Set([...seals].map((s) => s.split(':')[3]));
    assert.equal(nonces.size, 50);
  });

  test('when a value is opened with another key, then it fails with a typed error', () => {
    const sealed = cipher.seal('tok-1', ROW);
    const other = new SecretCipher({ key: generateSecretsKey() });
    assert.throws(() => other.open(sealed, ROW), code('secret_key_unknown'));
    assert.throws(() => other.open(sealed, ROW), /PARLEY_SECRETS_KEY/);
  });

  test('when any part of a sealed value is altered, then it does not open', () => {
    const sealed = cipher.seal('tok-1', ROW);
    for (const part of [3, 4]) {
      assert.throws(() => cipher.open(altered(sealed, part), ROW), code('secret_unreadable'));
    }
    const truncated = sealed.slice(0, -4);
    assert.throws(() => cipher.open(truncated, ROW), code('secret_unreadable'));
    assert.throws(() => cipher.open('tok-1', ROW), code('secret_unreadable'), 'not sealed');
  });

  test('when a sealed value is moved to another row, then it does not open there', () => {
    const sealed = cipher.seal('tok-1', ROW);
    for (const row of [
      ['secrets', 'ten_b', 'CRM_TOKEN'],
      ['secrets', 'ten_a', 'OTHER'],
      ['webhook_endpoints.secret', 'ten_a', 'CRM_TOKEN'],
      ['secrets', 'ten_aCRM_TOKEN'],
    ]) {
      assert.throws(() => cipher.open(sealed, row), code('secret_unreadable'), row.join('/'));
    }
    assert.equal(cipher.open(sealed, [...ROW]), 'tok-1');
  });

  test('when the key is rotated, then old values open through the old keys and reseal to the new one', () => {
    const oldKey = generateSecretsKey();
    const old = new SecretCipher({ key: oldKey });
    const sealedOld = old.seal('tok-old', ROW);
    const rotated = new SecretCipher({ key, oldKeys: [oldKey] });
    assert.equal(rotated.open(sealedOld, ROW), 'tok-old');
    assert.equal(rotated.isCurrent(sealedOld), false);
    const resealed = rotated.reseal(sealedOld, ROW);
    assert.equal(rotated.isCurrent(resealed), true);
    // The old key can go now: the current key alone opens the resealed value.
    assert.equal(cipher.open(resealed, ROW), 'tok-old');
    assert.throws(() => cipher.open(sealedOld, ROW), code('secret_key_unknown'));
    assert.equal(rotated.reseal('plain-legacy', ROW).startsWith(rotated.currentPrefix), true);
    assert.equal(cipher.open(rotated.reseal('plain-legacy', ROW), ROW), 'plain-legacy');
  });

  test('keys are 32 bytes in base64 or base64url; anything else is refused at construction', () => {
    const bytes = randomBytes(32);
    assert.ok(isSecretsKey(bytes.toString('base64')));
    assert.ok(isSecretsKey(bytes.toString('base64url')));
    const one = new SecretCipher({ key: bytes.toString('base64') });
    const two = new SecretCipher({ key: bytes.toString('base64url') });
    assert.equal(one.keyId, two.keyId, 'one key, either spelling');
    assert.equal(two.open(one.seal('v', ROW), ROW), 'v');
    for (const bad of [
      '',
      randomBytes(16).toString('base64'),
      randomBytes(48).toString('base64'),
      bytes.toString('hex'),
      `${bytes.toString('base64').slice(0, 40)}!!!=`,
    ]) {
      assert.equal(isSecretsKey(bad), false, bad);
      assert.throws(() => new SecretCipher({ key: bad }), code('secret_key_invalid'));
      assert.throws(() => new SecretCipher({ key, oldKeys: [bad] }), code('secret_key_invalid'));
    }
  });

  test('the key id names the key without revealing it, and differs between keys', () => {
    const other = new SecretCipher({ key: generateSecretsKey() });
    assert.match(cipher.keyId, /^[0-9a-f]{8}$/);
    assert.notEqual(cipher.keyId, other.keyId);
    assert.equal(new SecretCipher({ key }).keyId, cipher.keyId, 'stable for one key');
    assert.equal(new SecretCipher({ key, oldKeys: [key] }).keyId, cipher.keyId);
  });
});
