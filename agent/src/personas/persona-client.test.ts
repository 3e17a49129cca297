import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { parseDispatchMetadata, PersonaClient, PersonaLoadError } from './persona-client.js';

const KEY = 'agent-secret';
const SHOP = {
  id: 'shop',
  name: 'Shop',
  greeting: 'Hi, welcome to the shop!',
  instructions: 'Be brief.',
  knowledge: [{ question: 'Do you ship?', answer: 'Yes.' }],
};

async function rejection(promise: Promise<unknown>): Promise<PersonaLoadError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PersonaLoadError) return error;
    throw error;
  }
  assert.fail('expected a PersonaLoadError');
}

describe('PersonaClient', () => {
  let server: Server;
  let serverUrl: string;
  const requests: IncomingMessage[] = [];

  before(async () => {
    server = createServer((req, res) => {
      requests.push(req);
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.headers.authorization !== `Bearer ${KEY}`) return json(401, { error: {} });
      if (req.url === '/internal/personas/shop') return json(200, SHOP);
      if (req.url === '/internal/personas/shop?tenant=ten_acme') {
        return json(200, { ...SHOP, name: 'Acme shop' });
      }
      if (req.url === '/internal/personas/broken') return json(200, { id: 'broken' });
      if (req.url === '/internal/personas/flaky') return json(503, { error: {} });
      json(404, { error: { code: 'persona_not_found', message: 'no' } });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('fetches the persona with the service credential and fills its defaults', async () => {
    requests.length = 0;
    const persona = await new PersonaClient({ serverUrl, agentKey: KEY }).get('shop');
    assert.equal(persona.greeting, SHOP.greeting);
    assert.deepEqual(persona.providers, { stt: 'auto', llm: 'auto', tts: 'auto' });
    assert.match(persona.fallback, /sorry/i);
    assert.equal(requests.length, 1);
    assert.equal(requests[0]?.method, 'GET');
    assert.equal(requests[0]?.headers.authorization, `Bearer ${KEY}`);
  });

  test('when the dispatch named a tenant, then the persona is fetched from that tenant', async () => {
    const client = new PersonaClient({ serverUrl, agentKey: KEY, tenantId: 'ten_acme' });
    assert.equal((await client.get('shop')).name, 'Acme shop');
    const withoutTenant = new PersonaClient({ serverUrl, agentKey: KEY, tenantId: undefined });
    assert.equal((await withoutTenant.get('shop')).name, 'Shop');
  });

  test('when the persona does not exist, then it fails with persona_not_found at once', async () => {
    requests.length = 0;
    const error = await rejection(new PersonaClient({ serverUrl, agentKey: KEY }).get('nobody'));
    assert.equal(error.code, 'persona_not_found');
    assert.equal(error.status, 404);
    assert.equal(error.retryable, false);
    assert.equal(requests.length, 1);
  });

  test('when the key is wrong, then it fails with unauthorized', async () => {
    const error = await rejection(new PersonaClient({ serverUrl, agentKey: 'wrong' }).get('shop'));
    assert.equal(error.code, 'unauthorized');
    assert.match(error.message, /PARLEY_AGENT_KEY/);
  });

  test('when the server sends something that is not a persona, then it fails with invalid_persona', async () => {
    const error = await rejection(new PersonaClient({ serverUrl, agentKey: KEY }).get('broken'));
    assert.equal(error.code, 'invalid_persona');
  });

  test('when the server errors, then it retries and finally fails with server_error', async () => {
    requests.length = 0;
    const client = new PersonaClient({ serverUrl, agentKey: KEY, attempts: 3, retryDelayMs: 1 });
    const error = await rejection(client.get('flaky'));
    assert.equal(error.code, 'server_error');
    assert.equal(requests.length, 3);
  });

  test('when the server is unreachable, then it fails with server_unreachable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const client = new PersonaClient({
      serverUrl: `http://127.0.0.1:${port}`,
      agentKey: KEY,
      attempts: 2,
      retryDelayMs: 1,
    });
    const error = await rejection(client.get('shop'));
    assert.equal(error.code, 'server_unreachable');
    assert.equal(error.retryable, true);
  });
});

describe('parseDispatchMetadata', () => {
  test('reads the persona id and channel and fills visitor and variables', () => {
    assert.deepEqual(parseDispatchMetadata('{"personaId":"default","channel":"web"}'), {
      personaId: 'default',
      channel: 'web',
      visitor: {},
      variables: {},
    });
  });

  test('when the metadata is missing or malformed, then it fails with invalid_metadata', () => {
    for (const metadata of [
      '',
      'not json',
      '{"channel":"web"}',
      '{"personaId":"x","channel":"fax"}',
    ]) {
      assert.throws(
        () => parseDispatchMetadata(metadata),
        (e: unknown) => e instanceof PersonaLoadError && e.code === 'invalid_metadata',
        metadata,
      );
    }
  });
});
