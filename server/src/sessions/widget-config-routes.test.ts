import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { WidgetConfig } from '@parley/contracts';
import { request, startTestApp, type TestApp } from '../../test/test-app.js';

let app: TestApp;
const SHOP = 'https://shop.example';

before(async () => {
  app = await startTestApp();
  await app.tenant.personas.create({
    id: 'phone-friendly',
    name: 'Phone friendly',
    greeting: 'Hi',
    instructions: '',
    allowedOrigins: [SHOP],
    phone: { continueOnPhone: true },
  });
  await app.tenant.personas.create({
    id: 'web-only',
    name: 'Web only',
    greeting: 'Hi',
    instructions: '',
    allowedOrigins: [SHOP],
  });
});
after(() => app.stop());

const config = (persona: string) =>
  request<WidgetConfig>(`${app.url}/v1/widget-config?persona=${persona}`, 'GET', undefined, {
    origin: SHOP,
  });

describe('GET /v1/widget-config: continue on the phone', () => {
  test('when the persona allows continuing on the phone, then the widget is told to offer it', async () => {
    const res = await config('phone-friendly');
    assert.equal(res.status, 200);
    assert.equal(res.body.continueOnPhone, true);
  });

  test('when the persona does not allow it (the default), then the widget is told not to offer it', async () => {
    const res = await config('web-only');
    assert.equal(res.status, 200);
    assert.equal(res.body.continueOnPhone, false);
  });
});
