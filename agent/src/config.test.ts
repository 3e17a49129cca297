import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from './config.js';

const BASE = {
  PARLEY_AGENT_KEY: 'agent-secret',
  LIVEKIT_URL: 'ws://127.0.0.1:7880',
  LIVEKIT_API_KEY: 'devkey',
  LIVEKIT_API_SECRET: 'secret',
};

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  assert.fail('expected a ConfigError');
}

describe('loadConfig', () => {
  test('fills the documented defaults', () => {
    const config = loadConfig(BASE);
    assert.equal(config.serverUrl, 'http://127.0.0.1:8787');
    assert.equal(config.agentKey, 'agent-secret');
    assert.deepEqual(config.livekit, {
      url: 'ws://127.0.0.1:7880',
      apiKey: 'devkey',
      apiSecret: 'secret',
    });
    assert.match(config.pocketsphinx.binPath, /\/\.tools\/bin\/parley-ps-stream$/);
    assert.equal(config.pocketsphinx.hmmDir, '/usr/share/pocketsphinx/model/en-us/en-us');
    assert.equal(config.pocketsphinx.lmPath, '/usr/share/pocketsphinx/model/en-us/en-us.lm.bin');
    assert.equal(
      config.pocketsphinx.dictPath,
      '/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict',
    );
    assert.equal(config.heartbeatIntervalMs, 5000);
    assert.ok(config.maxJobs >= 2);
    assert.deepEqual(config.workerHttp, { host: '127.0.0.1', port: 8081 });
  });

  test('env overrides win and a trailing slash is dropped from the server URL', () => {
    const config = loadConfig({
      ...BASE,
      PARLEY_SERVER_URL: 'http://localhost:9000/',
      PARLEY_PS_STREAM_BIN: '/opt/shim',
      PARLEY_HEARTBEAT_INTERVAL_MS: '1000',
      PARLEY_AGENT_MAX_JOBS: '3',
    });
    assert.equal(config.maxJobs, 3);
    assert.equal(config.serverUrl, 'http://localhost:9000');
    assert.equal(config.pocketsphinx.binPath, '/opt/shim');
    assert.equal(config.heartbeatIntervalMs, 1000);
  });

  test('when the agent key is missing, then start-up fails naming PARLEY_AGENT_KEY', () => {
    const error = configError(() => loadConfig({ ...BASE, PARLEY_AGENT_KEY: '' }));
    assert.equal(error.key, 'PARLEY_AGENT_KEY');
    assert.match(error.message, /^PARLEY_AGENT_KEY: is required/);
  });

  test('when a value is malformed, then the error names the key and the value', () => {
    const error = configError(() => loadConfig({ ...BASE, PARLEY_SERVER_URL: 'ftp://x' }));
    assert.equal(error.key, 'PARLEY_SERVER_URL');
    assert.match(error.message, /ftp:\/\/x/);
    assert.equal(
      configError(() => loadConfig({ ...BASE, LIVEKIT_URL: 'nope' })).key,
      'LIVEKIT_URL',
    );
    assert.equal(
      configError(() => loadConfig({ ...BASE, PARLEY_HEARTBEAT_INTERVAL_MS: 'soon' })).key,
      'PARLEY_HEARTBEAT_INTERVAL_MS',
    );
  });

  test('with checkFiles, a missing shim is reported with how to build it', () => {
    const env = { ...BASE, PARLEY_PS_STREAM_BIN: '/nonexistent/parley-ps-stream' };
    const error = configError(() => loadConfig(env, { checkFiles: true }));
    assert.equal(error.key, 'PARLEY_PS_STREAM_BIN');
    assert.match(error.message, /make -C agent\/native/);
    assert.doesNotThrow(() => loadConfig(env));
  });
});
