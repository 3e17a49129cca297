import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createApp } from '../app.js';
import { startTestApp, testDeps, type TestApp } from '../../test/test-app.js';
import { openApiPath, pathParameterNames } from './document.js';
import { documentedRoute, openApiDocument, ROUTE_DOCS } from './index.js';
import { mountedRoutes } from './mounted-routes.js';

let app: TestApp;
before(async () => {
  app = await startTestApp();
});
after(() => app.stop());

const key = (route: { method: string; path: string }) =>
  `${route.method.toUpperCase()} ${route.path}`;

describe('route registry', () => {
  test('every route Express mounts is documented, and every documented route is mounted', () => {
    const mounted = mountedRoutes(createApp(testDeps(app.storage, app.tenant.tenantId)))
      .map(key)
      .sort();
    const documented = ROUTE_DOCS.map(key).sort();
    assert.deepEqual(
      mounted.filter((route) => !documented.includes(route)),
      [],
      'mounted but not documented in server/src/openapi',
    );
    assert.deepEqual(
      documented.filter((route) => !mounted.includes(route)),
      [],
      'documented but not mounted',
    );
    assert.equal(new Set(documented).size, documented.length, 'a route is documented twice');
  });

  test('a request path maps to the documented route that serves it', () => {
    assert.equal(documentedRoute('GET', '/v1/calls/call_x'), '/v1/calls/:id');
    assert.equal(documentedRoute('HEAD', '/v1/calls/call_x'), '/v1/calls/:id');
    assert.equal(documentedRoute('GET', '/v1/calls/call_x/'), '/v1/calls/:id');
    assert.equal(
      documentedRoute('POST', '/internal/calls/c/tools/lookup'),
      '/internal/calls/:id/tools/:name',
    );
    assert.equal(documentedRoute('DELETE', '/v1/calls/call_x'), undefined);
    assert.equal(documentedRoute('GET', '/v1/calls/a/b'), undefined);
  });
});

describe('GET /v1/openapi.json', () => {
  test('is public and answers the OpenAPI 3.1 document of every documented route', async () => {
    const res = await fetch(`${app.url}/v1/openapi.json`);
    assert.equal(res.status, 200);
    const served = (await res.json()) as ReturnType<typeof openApiDocument>;
    assert.deepEqual(served, JSON.parse(JSON.stringify(openApiDocument())));
    assert.equal(served.openapi, '3.1.0');
    for (const route of ROUTE_DOCS) {
      const operation = served.paths?.[openApiPath(route.path)]?.[route.method];
      assert.ok(operation, `${key(route)} is missing`);
      const inPath = (operation.parameters ?? [])
        .filter((p) => 'in' in p && p.in === 'path')
        .map((p) => ('name' in p ? p.name : ''));
      assert.deepEqual(inPath, pathParameterNames(route.path), `${key(route)} path parameters`);
      if (route.body) assert.ok(operation.requestBody, `${key(route)} has no request body`);
      for (const status of Object.keys(route.responses)) {
        assert.ok(operation.responses?.[status], `${key(route)} lacks its ${status}`);
      }
    }
    assert.deepEqual(Object.keys(served.components?.securitySchemes ?? {}).sort(), [
      'adminKey',
      'agentKey',
      'livekitWebhook',
    ]);
  });

  test('states who may call each route and which error codes it answers', () => {
    const doc = openApiDocument();
    const operation = (path: string, method: 'get' | 'post') => {
      const found = doc.paths?.[path]?.[method];
      assert.ok(found, `${method} ${path}`);
      return found;
    };
    assert.deepEqual(operation('/v1/calls/{id}', 'get').security, [{ adminKey: [] }]);
    assert.deepEqual(operation('/internal/calls', 'post').security, [{ agentKey: [] }]);
    assert.deepEqual(operation('/v1/sessions', 'post').security, []);
    assert.deepEqual(operation('/metrics', 'get').security, [{}, { adminKey: [] }]);
    const conflict = operation('/internal/calls/{id}/appointments', 'post').responses?.['409'];
    const schema = conflict?.content?.['application/json']?.schema as {
      properties?: { error?: { properties?: { code?: { enum?: string[] } } } };
    };
    assert.deepEqual(schema.properties?.error?.properties?.code?.enum?.sort(), [
      'no_business_hours',
      'slot_taken',
    ]);
    assert.equal(operation('/livez', 'get').responses?.['401'], undefined);
    assert.ok(operation('/v1/personas', 'post').responses?.['413']);
  });
});
