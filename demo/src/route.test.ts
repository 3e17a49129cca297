import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRoute, routeHref, type Route } from './route.js';

test('each place of the studio survives a round trip through the address bar', () => {
  const routes: Route[] = [
    { view: 'talk' },
    { view: 'personas', personaId: undefined },
    { view: 'personas', personaId: 'front-desk' },
    { view: 'calls', callId: undefined },
    { view: 'calls', callId: 'call_a/b c' },
    { view: 'leads' },
    { view: 'appointments' },
    { view: 'phone' },
    { view: 'campaigns', campaignId: undefined },
    { view: 'campaigns', campaignId: 'cmp_1' },
    { view: 'campaigns', campaignId: 'new' },
    { view: 'scheduled-calls' },
    { view: 'embed' },
  ];
  for (const route of routes) assert.deepEqual(parseRoute(routeHref(route)), route);
});

test('an empty, unknown or malformed fragment lands on the talk view', () => {
  for (const hash of ['', '#', '#/', '#/nowhere', '#key=abc', '#admin-key']) {
    assert.deepEqual(parseRoute(hash), { view: 'talk' }, hash);
  }
  assert.deepEqual(parseRoute('#/calls/%E0%A4%A'), { view: 'calls', callId: undefined });
});
