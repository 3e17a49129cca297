import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { WebhookEndpoint } from '@parley/contracts';
import { OutgoingGuard } from '../http/outgoing-guard.js';
import { asAdmin, request, startTestApp, type TestApp } from '../../test/test-app.js';

const create = (app: TestApp, url: string) =>
  request<WebhookEndpoint & { error?: { code: string; message: string } }>(
    `${app.url}/v1/webhook-endpoints`,
    'POST',
    { url, events: ['call.ended'] },
    asAdmin,
  );

describe('POST /v1/webhook-endpoints, where only public addresses may be called', () => {
  let app: TestApp;
  const outgoing = new OutgoingGuard();
  before(async () => {
    app = await startTestApp(() => ({ outgoing }));
  });
  after(async () => {
    await app.stop();
    await outgoing.close();
  });

  test('when the URL is a literal non-public address, then it is refused with 400 saying why', async () => {
    for (const [url, reason] of [
      ['http://127.0.0.1:9000/hooks', 'a loopback address'],
      ['http://[::ffff:127.0.0.1]/hooks', 'a loopback address'],
      ['https://10.1.2.3/hooks', 'a private address'],
      ['http://169.254.169.254/latest/meta-data/', 'a cloud metadata address'],
      ['http://[fd00:ec2::254]/', 'a cloud metadata address'],
      ['http://localhost:3000/hooks', 'a loopback address'],
    ] as const) {
      const res = await create(app, url);
      assert.equal(res.status, 400, url);
      assert.equal(res.body.error?.code, 'invalid_request');
      assert.ok(res.body.error?.message.includes(reason), res.body.error?.message);
    }
    const list = await request<{ data: WebhookEndpoint[] }>(
      `${app.url}/v1/webhook-endpoints`,
      'GET',
      undefined,
      asAdmin,
    );
    assert.deepEqual(list.body.data, []);
  });

  test('when the URL names a host, then it is stored: its addresses are checked at each delivery', async () => {
    const res = await create(app, 'https://hooks.example.com/parley');
    assert.equal(res.status, 201);
  });
});

test('where the operator allows loopback (the test stack), then a loopback endpoint is stored', async () => {
  const app = await startTestApp();
  try {
    assert.equal((await create(app, 'http://127.0.0.1:9000/hooks')).status, 201);
  } finally {
    await app.stop();
  }
});
