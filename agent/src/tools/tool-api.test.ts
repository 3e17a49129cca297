import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ServerApiError } from '../server-api/server-api-error.js';
import { idempotencyKey, ToolApi } from './tool-api.js';

describe('ToolApi', () => {
  test('when the call record never gets created, then a request gives up as unreachable', async () => {
    const api = new ToolApi({
      serverUrl: 'http://127.0.0.1:1',
      agentKey: 'k',
      callId: () => new Promise<string>(() => undefined),
      timeoutMs: 50,
    });
    await assert.rejects(
      api.saveLead({ name: 'Ada' }, { score: 0, temperature: 'cold', signals: [] }),
      (error) => {
        assert.ok(error instanceof ServerApiError);
        assert.equal(error.code, 'server_unreachable');
        assert.match(error.message, /the call record is not available: not created within 50 ms/);
        return true;
      },
    );
  });
});

describe('idempotencyKey', () => {
  test('when the same tool is called with the same arguments in the same call, then the key is the same', () => {
    const key = idempotencyKey('call_1', 'capture_lead', { name: 'Ada' });
    assert.equal(idempotencyKey('call_1', 'capture_lead', { name: 'Ada' }), key);
    assert.match(key, /^capture_lead:[0-9a-f]{40}$/);
  });

  test('when the call, the tool or the arguments differ, then so does the key', () => {
    const key = idempotencyKey('call_1', 'capture_lead', { name: 'Ada' });
    assert.notEqual(idempotencyKey('call_2', 'capture_lead', { name: 'Ada' }), key);
    assert.notEqual(idempotencyKey('call_1', 'book_appointment', { name: 'Ada' }), key);
    assert.notEqual(idempotencyKey('call_1', 'capture_lead', { name: 'Ada', email: 'a@b.c' }), key);
  });
});
