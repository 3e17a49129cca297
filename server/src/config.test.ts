import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from './config.js';

const REQUIRED = {
  LIVEKIT_API_KEY: 'devkey',
  LIVEKIT_API_SECRET: 'a-livekit-secret-of-at-least-32-chars',
  PARLEY_ADMIN_KEY: 'pk_admin_0123456789',
  PARLEY_AGENT_KEY: 'pk_agent_0123456789',
};

test('webhook retries wait 10 s, doubling up to an hour, unless the environment says otherwise', () => {
  const defaults = loadConfig(REQUIRED);
  assert.equal(defaults.PARLEY_WEBHOOK_RETRY_BASE_MS, 10_000);
  assert.equal(defaults.PARLEY_WEBHOOK_RETRY_MAX_MS, 3_600_000);
  const short = loadConfig({
    ...REQUIRED,
    PARLEY_WEBHOOK_RETRY_BASE_MS: '1000',
    PARLEY_WEBHOOK_RETRY_MAX_MS: '15000',
  });
  assert.equal(short.PARLEY_WEBHOOK_RETRY_BASE_MS, 1000);
  assert.equal(short.PARLEY_WEBHOOK_RETRY_MAX_MS, 15_000);
});

test('when the longest webhook retry delay is below the first, start-up fails naming the key', () => {
  assert.throws(
    () =>
      loadConfig({
        ...REQUIRED,
        PARLEY_WEBHOOK_RETRY_BASE_MS: '20000',
        PARLEY_WEBHOOK_RETRY_MAX_MS: '10000',
      }),
    (error: unknown) =>
      error instanceof ConfigError && /PARLEY_WEBHOOK_RETRY_MAX_MS/.test(error.message),
  );
});

test('without SIP settings, the bridge is not checked and numbers get no default addresses', () => {
  const config = loadConfig(REQUIRED);
  assert.equal(config.PARLEY_SIP_HEALTH_URL, undefined);
  assert.deepEqual(config.PARLEY_SIP_ALLOWED_ADDRESSES, []);
});

test('the default carrier addresses are a trimmed comma-separated list of IPs and CIDRs', () => {
  const config = loadConfig({
    ...REQUIRED,
    PARLEY_SIP_HEALTH_URL: 'http://127.0.0.1:8089/',
    PARLEY_SIP_ALLOWED_ADDRESSES: ' 127.0.0.1/32, 2001:db8::/32 ,198.51.100.7,',
  });
  assert.equal(config.PARLEY_SIP_HEALTH_URL, 'http://127.0.0.1:8089/');
  assert.deepEqual(config.PARLEY_SIP_ALLOWED_ADDRESSES, [
    '127.0.0.1/32',
    '2001:db8::/32',
    '198.51.100.7',
  ]);
});

test('when a SIP setting is malformed, then start-up fails naming the key', () => {
  const fails = (env: Record<string, string>, key: string) =>
    assert.throws(
      () => loadConfig({ ...REQUIRED, ...env }),
      (error: unknown) => error instanceof ConfigError && error.message.includes(key),
    );
  fails(
    { PARLEY_SIP_ALLOWED_ADDRESSES: '127.0.0.1/32, carrier.example' },
    'PARLEY_SIP_ALLOWED_ADDRESSES',
  );
  fails({ PARLEY_SIP_ALLOWED_ADDRESSES: '10.0.0.0/33' }, 'PARLEY_SIP_ALLOWED_ADDRESSES');
  fails({ PARLEY_SIP_HEALTH_URL: 'localhost:8089' }, 'PARLEY_SIP_HEALTH_URL');
});
