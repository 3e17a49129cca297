import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadConfig } from './config.js';
import { REPO_ROOT, SERVER_DIR } from './package-dir.js';
import { generateSecretsKey } from './tenants/secret-cipher.js';

const REQUIRED = {
  LIVEKIT_API_KEY: 'devkey',
  LIVEKIT_API_SECRET: 'a-livekit-secret-of-at-least-32-chars',
  PARLEY_ADMIN_KEY: 'pk_admin_0123456789',
  PARLEY_AGENT_KEY: 'pk_agent_0123456789',
  PARLEY_SECRETS_KEY: generateSecretsKey(),
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

test('outgoing requests allow no extra range by default; PARLEY_OUTBOUND_ALLOW lists CIDRs', () => {
  assert.deepEqual(loadConfig(REQUIRED).PARLEY_OUTBOUND_ALLOW, []);
  const config = loadConfig({
    ...REQUIRED,
    PARLEY_OUTBOUND_ALLOW: ' 127.0.0.0/8, ::1/128 ,10.2.3.4,',
  });
  assert.deepEqual(config.PARLEY_OUTBOUND_ALLOW, ['127.0.0.0/8', '::1/128', '10.2.3.4']);
});

test('when PARLEY_OUTBOUND_ALLOW holds something other than IPs or CIDRs, start-up fails naming it', () => {
  for (const list of ['10.0.0.0/8, internal.example', '10.0.0.0/33', '::1/129']) {
    assert.throws(
      () => loadConfig({ ...REQUIRED, PARLEY_OUTBOUND_ALLOW: list }),
      (error: unknown) =>
        error instanceof ConfigError && error.message.includes('PARLEY_OUTBOUND_ALLOW'),
    );
  }
});

const rejects = (env: Record<string, string | undefined>, key: string) =>
  assert.throws(
    () => loadConfig({ ...REQUIRED, ...env }),
    (error: unknown) => error instanceof ConfigError && error.message.includes(key),
  );

test('in production, a missing or malformed secrets key stops start-up naming the key', () => {
  rejects({ PARLEY_SECRETS_KEY: undefined }, 'PARLEY_SECRETS_KEY: required in production');
  rejects({ PARLEY_SECRETS_KEY: ' ' }, 'PARLEY_SECRETS_KEY: required in production');
  rejects({ PARLEY_SECRETS_KEY: 'too-short' }, 'PARLEY_SECRETS_KEY');
  rejects({ PARLEY_SECRETS_KEY: 'ab'.repeat(32) }, 'PARLEY_SECRETS_KEY');
  rejects({ PARLEY_SECRETS_OLD_KEYS: `${generateSecretsKey()},nope` }, 'PARLEY_SECRETS_OLD_KEYS');
});

test('the secrets key is 32 bytes in base64 or base64url; old keys are a comma-separated list', () => {
  const base64 = Buffer.from(generateSecretsKey(), 'base64url').toString('base64');
  const [one, two] = [generateSecretsKey(), generateSecretsKey()];
  const config = loadConfig({
    ...REQUIRED,
    PARLEY_SECRETS_KEY: ` ${base64} `,
    PARLEY_SECRETS_OLD_KEYS: ` ${one}, ${two},`,
  });
  assert.equal(config.PARLEY_SECRETS_KEY, base64);
  assert.deepEqual(config.PARLEY_SECRETS_OLD_KEYS, [one, two]);
  assert.deepEqual(loadConfig(REQUIRED).PARLEY_SECRETS_OLD_KEYS, []);
});

test('in development, the secrets key may be left unset (one is generated into the data dir)', () => {
  const config = loadConfig({
    ...REQUIRED,
    PARLEY_SECRETS_KEY: undefined,
    PARLEY_ENV: 'development',
  });
  assert.equal(config.PARLEY_SECRETS_KEY, undefined);
});

test('when the server is started in production without a secrets key, then it refuses to start', async () => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'parley-no-key-'));
  const withoutKey = Object.fromEntries(
    Object.entries(REQUIRED).filter(([name]) => name !== 'PARLEY_SECRETS_KEY'),
  );
  try {
    const { code, output } = await new Promise<{ code: number | null; output: string }>(
      (resolve) => {
        const child = execFile(
          path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx'),
          [path.join(SERVER_DIR, 'src', 'main.ts')],
          {
            env: {
              PATH: process.env.PATH,
              ...withoutKey,
              PORT: '0',
              PARLEY_DATA_DIR: dataDir,
            },
            timeout: 60_000,
          },
          (_err, stdout, stderr) => resolve({ code: child.exitCode, output: stdout + stderr }),
        );
      },
    );
    assert.equal(code, 1, output);
    assert.match(output, /PARLEY_SECRETS_KEY/);
    assert.doesNotMatch(output, /listening on/);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
