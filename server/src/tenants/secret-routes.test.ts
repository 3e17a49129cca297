import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { asAdmin, request } from '../../test/test-app.js';
import { startObservedApp, type ObservedApp } from '../../test/observed-test-app.js';

let app: ObservedApp;
before(async () => {
  app = await startObservedApp();
});
after(() => app.stop());

const unique = (label: string) => `${label}-${randomBytes(8).toString('hex')}`;

test('a stored value is never answered: not by PUT, not by the list', async () => {
  const value = unique('crm-token');
  const put = await request(`${app.url}/v1/secrets/CRM_TOKEN`, 'PUT', { value }, asAdmin);
  assert.equal(put.status, 204);
  assert.equal(put.body, undefined);
  const list = await request(`${app.url}/v1/secrets`, 'GET', undefined, asAdmin);
  assert.equal(list.status, 200);
  assert.match(JSON.stringify(list.body), /CRM_TOKEN/);
  assert.ok(!JSON.stringify(list.body).includes(value));
  assert.equal(await app.tenant.secrets.reveal('CRM_TOKEN'), value);
  assert.ok(!app.rawLogs.join('').includes(value), 'a stored value is not logged');
});

test('when storing a secret fails, then the log names the error but never the value', async () => {
  const values: string[] = [];
  const put = async (name: string, body: string) => {
    const res = await fetch(`${app.url}/v1/secrets/${name}`, {
      method: 'PUT',
      headers: { ...asAdmin, 'content-type': 'application/json' },
      body,
    });
    return res.status;
  };
  const value = () => {
    values.push(unique('put-value'));
    return values.at(-1) ?? '';
  };
  assert.equal(await put('bad-name', JSON.stringify({ value: value() })), 400);
  assert.equal(await put('TOO_LONG', JSON.stringify({ value: value().padEnd(5000, 'x') })), 400);
  assert.equal(await put('NOT_JSON', `{"value": "${value()}"`), 400);
  assert.equal(await put('WRONG_TYPE', JSON.stringify({ value: [value()] })), 400);
  // The database refuses the write: the cause of an `internal` answer is logged, and the
  // embedded database's errors carry the statement's parameters.
  await app.storage.db.exec('ALTER TABLE secrets RENAME TO secrets_away');
  try {
    assert.equal(await put('STORE_FAILS', JSON.stringify({ value: value() })), 500);
  } finally {
    await app.storage.db.exec('ALTER TABLE secrets_away RENAME TO secrets');
  }
  const failed = app.logs.find((l) => l.errorCode === 'internal');
  assert.ok(failed, 'the failed write is logged as an internal error');
  assert.match(JSON.stringify(failed.err), /secrets/);
  const logged = app.rawLogs.join('');
  for (const v of values) assert.ok(!logged.includes(v), `${v} was logged`);
  assert.ok(!logged.includes('parley-sealed:'), 'not even sealed');
});
