import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { INTERNAL_API, INTERNAL_PREFIX, INTERNAL_ROUTES } from './internal-api.js';

describe('INTERNAL_API', () => {
  test('every path is its route pattern with the ids filled in', () => {
    for (const [name, pattern] of Object.entries(INTERNAL_ROUTES)) {
      const path = INTERNAL_API[name as keyof typeof INTERNAL_API]('c_1', 'lookup');
      assert.equal(path, pattern.replace(':id', 'c_1').replace(':name', 'lookup'), name);
      assert.ok(path.startsWith(`${INTERNAL_PREFIX}/`), name);
    }
  });

  test('when an id holds URL syntax, then it is encoded into one path segment', () => {
    assert.equal(INTERNAL_API.callTurns('a/b?c'), '/internal/calls/a%2Fb%3Fc/turns');
    assert.equal(INTERNAL_API.callTool('c 1', 'x/y'), '/internal/calls/c%201/tools/x%2Fy');
  });
});
