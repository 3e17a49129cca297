import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Persona } from '@parley/contracts';
import { OutgoingGuard } from '../http/outgoing-guard.js';
import { asAdmin, request, startTestApp, type TestApp } from '../../test/test-app.js';

type Answer = Persona & { error?: { code: string; message: string } };

const withTool = (id: string, url: string) => ({
  id,
  name: id,
  greeting: 'Hello.',
  instructions: 'Help.',
  webhookTools: [
    { name: 'lookup', description: 'Looks an order up', url, parameters: { type: 'object' } },
  ],
});

describe('webhook tools of a saved persona, where only public addresses may be called', () => {
  let app: TestApp;
  const outgoing = new OutgoingGuard();
  before(async () => {
    app = await startTestApp(() => ({ outgoing }));
  });
  after(async () => {
    await app.stop();
    await outgoing.close();
  });

  test('when a tool names a non-public address, then create and replace are 400 and nothing is saved', async () => {
    for (const url of [
      'http://127.0.0.1:9000/tool',
      'http://169.254.169.254/',
      'http://10.0.0.7/',
    ]) {
      const created = await request<Answer>(
        `${app.url}/v1/personas`,
        'POST',
        withTool('shop', url),
        asAdmin,
      );
      assert.equal(created.status, 400, url);
      assert.equal(created.body.error?.code, 'invalid_request');
      assert.match(created.body.error?.message ?? '', /^webhookTools\.0\.url: /);

      const replaced = await request<Answer>(
        `${app.url}/v1/personas/default`,
        'PUT',
        withTool('default', url),
        asAdmin,
      );
      assert.equal(replaced.status, 400, url);
    }
    assert.equal(await app.tenant.personas.get('shop'), undefined);
    assert.equal((await app.tenant.personas.versions('default')).length, 1);
  });

  test('when a tool names a host, then the persona is saved: its addresses are checked at each call', async () => {
    const created = await request<Answer>(
      `${app.url}/v1/personas`,
      'POST',
      withTool('shop', 'https://shop.example.com/tool'),
      asAdmin,
    );
    assert.equal(created.status, 201, JSON.stringify(created.body));
  });
});
