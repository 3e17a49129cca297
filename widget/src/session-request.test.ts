import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SessionError } from './session-error.js';
import { serverUrl } from './server-request.js';
import { requestSession } from './session-request.js';
import { requestWidgetConfig } from './widget-config.js';

const session = {
  serverUrl: 'ws://127.0.0.1:7880',
  token: 'jwt',
  roomName: 'parley-abc',
  identity: 'visitor-abc',
  expiresAt: '2030-01-01T00:00:00.000Z',
};

interface Recorded {
  url: string;
  init: RequestInit | undefined;
}

function fakeFetch(answer: () => Promise<Response>, calls: Recorded[] = []): typeof fetch {
  return (input, init) => {
    calls.push({ url: String(input), init });
    return answer();
  };
}

function json(status: number, body: unknown): Promise<Response> {
  return Promise.resolve(
    new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json' },
    }),
  );
}

async function rejection(promise: Promise<unknown>): Promise<SessionError> {
  const error = await promise.then(
    () => assert.fail('expected the request to fail'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof SessionError, `expected a SessionError, got ${String(error)}`);
  return error;
}

describe('requestSession', () => {
  it('posts the persona as JSON to /v1/sessions of the server and returns the session', async () => {
    const calls: Recorded[] = [];
    const result = await requestSession(
      { persona: 'default' },
      { server: 'https://parley.example/', fetch: fakeFetch(() => json(201, session), calls) },
    );
    assert.deepEqual(result, session);
    assert.equal(calls.length, 1);
    assert.equal(calls[0]?.url, 'https://parley.example/v1/sessions');
    assert.equal(calls[0]?.init?.method, 'POST');
    assert.equal(calls[0]?.init?.body, JSON.stringify({ persona: 'default' }));
  });

  it('when the server is empty, then the URL is relative to the page', () => {
    assert.equal(serverUrl('', '/v1/sessions'), '/v1/sessions');
  });

  it('when the server answers with an error body, then its code and message are kept', async () => {
    const error = await rejection(
      requestSession(
        { persona: 'nobody' },
        {
          fetch: fakeFetch(() =>
            json(404, { error: { code: 'persona_not_found', message: 'No persona "nobody".' } }),
          ),
        },
      ),
    );
    assert.equal(error.code, 'persona_not_found');
    assert.equal(error.message, 'No persona "nobody".');
  });

  it('when the network fails, then the error is server_unreachable and names the server', async () => {
    const error = await rejection(
      requestSession(
        { persona: 'default' },
        {
          server: 'http://127.0.0.1:9',
          fetch: fakeFetch(() => Promise.reject(new TypeError('fetch failed'))),
        },
      ),
    );
    assert.equal(error.code, 'server_unreachable');
    assert.match(error.message, /127\.0\.0\.1:9/);
  });

  it('when the server does not answer in time, then the error is server_unreachable', async () => {
    const hang: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () =>
          reject(new DOMException('aborted', 'AbortError')),
        );
      });
    const error = await rejection(
      requestSession(
        { persona: 'default' },
        { server: 'http://x.test', timeoutMs: 20, fetch: hang },
      ),
    );
    assert.equal(error.code, 'server_unreachable');
    assert.match(error.message, /did not answer/);
  });

  it('when the caller aborts, then the abort propagates instead of an error message', async () => {
    const controller = new AbortController();
    const hang: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () =>
          reject(new DOMException('aborted', 'AbortError')),
        );
      });
    const pending = requestSession(
      { persona: 'default' },
      { server: 'http://x.test', signal: controller.signal, fetch: hang },
    );
    controller.abort();
    await assert.rejects(pending, (e: unknown) => !(e instanceof SessionError));
  });

  it('when a 2xx answer is not a session, then the error is invalid_response', async () => {
    const error = await rejection(
      requestSession({ persona: 'default' }, { fetch: fakeFetch(() => json(201, { token: 1 })) }),
    );
    assert.equal(error.code, 'invalid_response');
  });

  it('when an error answer has no error body, then the status is reported', async () => {
    const error = await rejection(
      requestSession(
        { persona: 'default' },
        { fetch: fakeFetch(() => Promise.resolve(new Response('Bad gateway', { status: 502 }))) },
      ),
    );
    assert.equal(error.code, 'invalid_response');
    assert.match(error.message, /502/);
  });
});

describe('requestWidgetConfig', () => {
  const config = {
    persona: { id: 'shop', name: 'Shop', language: 'en' },
    consent: { text: 'This call is recorded. Do you agree?', version: '2' },
  };

  it('gets /v1/widget-config for the persona, without a body, and returns the consent', async () => {
    const calls: Recorded[] = [];
    const result = await requestWidgetConfig('shop & co', {
      server: 'https://parley.example',
      fetch: fakeFetch(() => json(200, config), calls),
    });
    assert.deepEqual(result, config);
    assert.equal(calls[0]?.url, 'https://parley.example/v1/widget-config?persona=shop%20%26%20co');
    assert.equal(calls[0]?.init?.method, 'GET');
    assert.equal(calls[0]?.init?.body, undefined);
  });

  it('when the persona asks for no consent, then the answer has none', async () => {
    const result = await requestWidgetConfig('default', {
      fetch: fakeFetch(() => json(200, { persona: config.persona })),
    });
    assert.equal(result.consent, undefined);
  });

  it('when the consent in the answer has no version, then the error is invalid_response', async () => {
    const error = await rejection(
      requestWidgetConfig('shop', {
        fetch: fakeFetch(() => json(200, { ...config, consent: { text: 'Agree?' } })),
      }),
    );
    assert.equal(error.code, 'invalid_response');
  });

  it('when the server refuses the origin, then its code and message are kept', async () => {
    const error = await rejection(
      requestWidgetConfig('shop', {
        fetch: fakeFetch(() =>
          json(403, { error: { code: 'origin_not_allowed', message: 'Not from here.' } }),
        ),
      }),
    );
    assert.equal(error.code, 'origin_not_allowed');
  });
});
