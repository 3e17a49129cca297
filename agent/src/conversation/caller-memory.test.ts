import assert from 'node:assert/strict';
import { test } from 'node:test';
import { callbackBrief } from './caller-memory.js';

test('a call back the caller asked for tells the agent why it calls; any other call says nothing', () => {
  assert.equal(callbackBrief({ customer_name: 'Ana' }), undefined);
  assert.equal(callbackBrief({ callback_context: '  ' }), undefined);
  const brief = callbackBrief({
    callback_context: '1 caller turn.\n Caller said: "my invoice is wrong".',
  });
  assert.match(brief ?? '', /^You are calling this person back: they asked for a call back/);
  assert.match(
    brief ?? '',
    /What they wanted then: 1 caller turn\. Caller said: "my invoice is wrong"\./,
  );
});
