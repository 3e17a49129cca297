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
    assert.equal(config.idleProcesses, Math.min(config.maxJobs, 4));
    assert.deepEqual(config.workerHttp, { host: '127.0.0.1', port: 8081 });
  });

  test('env overrides win and a trailing slash is dropped from the server URL', () => {
    const config = loadConfig({
      ...BASE,
      PARLEY_SERVER_URL: 'http://localhost:9000/',
      PARLEY_PS_STREAM_BIN: '/opt/shim',
      PARLEY_HEARTBEAT_INTERVAL_MS: '1000',
      PARLEY_AGENT_MAX_JOBS: '3',
      PARLEY_AGENT_IDLE_PROCESSES: '5',
    });
    assert.equal(config.maxJobs, 3);
    assert.equal(config.idleProcesses, 5);
    // Without its own setting, the idle pool follows the calls taken.
    const small = loadConfig({ ...BASE, PARLEY_AGENT_MAX_JOBS: '3' });
    assert.equal(small.idleProcesses, 3);
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

  test('cloud providers are unconfigured until their keys are set; endpoints have defaults', () => {
    const { cloud } = loadConfig({ ...BASE, DEEPGRAM_API_KEY: '  ' });
    assert.equal(cloud.deepgram.apiKey, undefined, 'a blank key counts as unset');
    assert.equal(cloud.openai.apiKey, undefined);
    assert.equal(cloud.cartesia.apiKey, undefined);
    assert.equal(cloud.deepgram.baseUrl, 'wss://api.deepgram.com');
    assert.equal(cloud.deepgram.model, 'nova-3');
    assert.equal(cloud.openai.baseURL, undefined);
    assert.equal(cloud.openai.model, 'gpt-4o-mini');
    assert.equal(cloud.openai.attemptTimeoutMs, 10_000);
    assert.equal(cloud.cartesia.baseUrl, 'https://api.cartesia.ai');
    assert.equal(cloud.cartesia.model, 'sonic-3');
  });

  test('cloud keys, base URLs and models come from env', () => {
    const { cloud } = loadConfig({
      ...BASE,
      DEEPGRAM_API_KEY: 'dg',
      DEEPGRAM_BASE_URL: 'http://127.0.0.1:9001/',
      OPENAI_API_KEY: 'ollama',
      OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1/',
      PARLEY_LLM_MODEL: 'llama3.2',
      CARTESIA_API_KEY: 'ca',
      CARTESIA_BASE_URL: 'http://127.0.0.1:9003',
      PARLEY_CARTESIA_VOICE: 'a0e99841-438c-4a64-b679-ae501e7d6091',
    });
    assert.deepEqual(cloud.deepgram, {
      apiKey: 'dg',
      baseUrl: 'ws://127.0.0.1:9001',
      model: 'nova-3',
    });
    assert.equal(cloud.openai.baseURL, 'http://127.0.0.1:11434/v1');
    assert.equal(cloud.openai.model, 'llama3.2');
    assert.equal(cloud.cartesia.voice, 'a0e99841-438c-4a64-b679-ae501e7d6091');
  });

  test('when a cloud base URL is malformed, then the error names its variable', () => {
    assert.equal(
      configError(() => loadConfig({ ...BASE, OPENAI_BASE_URL: 'localhost:11434' })).key,
      'OPENAI_BASE_URL',
    );
    assert.equal(
      configError(() => loadConfig({ ...BASE, CARTESIA_BASE_URL: 'ws://x' })).key,
      'CARTESIA_BASE_URL',
    );
  });
});
