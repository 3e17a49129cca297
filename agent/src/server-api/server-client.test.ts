import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import { z } from 'zod';
import { ServerApiError } from './server-api-error.js';
import { ServerClient } from './server-client.js';

describe('ServerClient', () => {
  let server: Server;
  let serverUrl: string;
  let requests: IncomingMessage[];
  let answers: { status: number; body?: unknown }[];

  before(async () => {
    server = createServer((req, res) => {
      requests.push(req);
      const { status, body } = answers.shift() ?? { status: 200, body: { ok: true } };
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body === undefined ? '' : JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    requests = [];
    answers = [];
  });

  const rejection = async (promise: Promise<unknown>): Promise<ServerApiError> => {
    try {
      await promise;
    } catch (error) {
      if (error instanceof ServerApiError) return error;
      throw error;
    }
    assert.fail('expected a ServerApiError');
  };

  test('sends the service credential and the query, leaving out what is undefined', async () => {
    const client = new ServerClient({ serverUrl: `${serverUrl}/`, agentKey: 'k' });
    const body = await client.request({
      method: 'GET',
      path: '/internal/x',
      query: { a: '1 2', b: undefined },
    });
    assert.deepEqual(body, { ok: true });
    assert.equal(requests[0]?.url, '/internal/x?a=1+2');
    assert.equal(requests[0]?.headers.authorization, 'Bearer k');
  });

  test('when the server answers its error body, then the error carries its code, status and message', async () => {
    answers = [{ status: 409, body: { error: { code: 'slot_taken', message: 'taken' } } }];
    const client = new ServerClient({ serverUrl, agentKey: 'k' });
    const error = await rejection(client.request({ method: 'POST', path: '/internal/y' }));
    assert.equal(error.code, 'rejected');
    assert.equal(error.status, 409);
    assert.equal(error.serverCode, 'slot_taken');
    assert.equal(error.serverMessage, 'taken');
    assert.equal(error.retryable, false);
  });

  test('when a retryable failure repeats, then it is retried once per pause and then thrown', async () => {
    answers = [{ status: 503 }, { status: 429 }, { status: 500 }];
    const client = new ServerClient({ serverUrl, agentKey: 'k' });
    const error = await rejection(
      client.request({ method: 'GET', path: '/internal/z', retryDelaysMs: [1, 1] }),
    );
    assert.equal(error.code, 'server_error');
    assert.equal(error.retryable, true);
    assert.equal(requests.length, 3);
  });

  test('when a retry succeeds, then its answer is the answer', async () => {
    answers = [{ status: 502 }, { status: 201, body: { id: 'c1' } }];
    const client = new ServerClient({ serverUrl, agentKey: 'k' });
    const body = await client.request({ method: 'POST', path: '/internal/z', retryDelaysMs: [1] });
    assert.deepEqual(body, { id: 'c1' });
  });

  test('without retry pauses, or after a permanent refusal, it is sent once', async () => {
    const client = new ServerClient({ serverUrl, agentKey: 'k' });
    answers = [{ status: 503 }];
    await rejection(client.request({ method: 'POST', path: '/internal/once' }));
    answers = [{ status: 400 }];
    await rejection(client.request({ method: 'POST', path: '/internal/once', retryDelaysMs: [1] }));
    assert.equal(requests.length, 2);
  });

  test('when the body is not what the route answers, then it is a bad_answer', async () => {
    answers = [{ status: 200, body: { nope: 1 } }];
    const client = new ServerClient({ serverUrl, agentKey: 'k' });
    const error = await rejection(
      client.requestAs(z.object({ id: z.string() }), { method: 'GET', path: '/internal/a' }),
    );
    assert.equal(error.code, 'bad_answer');
    assert.equal(error.retryable, false);
  });

  test('when the server cannot be reached, then it is unreachable and retryable', async () => {
    const client = new ServerClient({ serverUrl: 'http://127.0.0.1:1', agentKey: 'k' });
    const error = await rejection(client.request({ method: 'GET', path: '/internal/a' }));
    assert.equal(error.code, 'server_unreachable');
    assert.equal(error.retryable, true);
  });
});
