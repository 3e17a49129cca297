import assert from 'node:assert/strict';
import type { LookupAddress } from 'node:dns';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { WebhookToolSchema, type WebhookTool } from '@parley/contracts';
import { DomainError } from '../domain-errors.js';
import { LOOPBACK_RANGES, OutgoingGuard } from '../http/outgoing-guard.js';
import { Storage, type TenantStorage } from '../storage/index.js';
import { pglite } from '../../test/test-backends.js';
import { WebhookToolRunner } from './webhook-tool-runner.js';

const CALL = { id: 'call_1', personaId: 'default', channel: 'web' } as const;

let storage: Storage;
let tenant: TenantStorage;
let endpoint: Server;
let port = 0;
let hits = 0;
let location: string | undefined;

before(async () => {
  storage = await Storage.open(await pglite.fresh());
  tenant = storage.forTenant((await storage.ensureDefaultTenant()).id);
  endpoint = createServer((_req, res) => {
    hits += 1;
    if (location) res.writeHead(302, { location }).end();
    else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  }).listen(0, '127.0.0.1');
  await once(endpoint, 'listening');
  port = (endpoint.address() as AddressInfo).port;
});

after(async () => {
  endpoint.closeAllConnections();
  endpoint.close();
  await storage.close();
});

const tool = (url: string): WebhookTool =>
  WebhookToolSchema.parse({ name: 'order_status', description: 'Looks up an order', url });

/** Every host name resolves to `address`; `asked` records the names asked. */
function resolvingTo(address: string) {
  const asked: string[] = [];
  const lookup = (hostname: string): Promise<LookupAddress[]> => {
    asked.push(hostname);
    return Promise.resolve([{ address, family: address.includes(':') ? 6 : 4 }]);
  };
  return { asked, lookup };
}

/** What the model hears when the tool fails. */
async function failure(run: Promise<unknown>): Promise<{ code: string; message: string }> {
  const err = await run.then(
    () => assert.fail('the tool ran'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof DomainError, String(err));
  return { code: err.code, message: err.message };
}

test('when the tool URL is a loopback address and no range is allowed, then the model hears why and nothing is called', async () => {
  const guard = new OutgoingGuard();
  const runner = new WebhookToolRunner(tenant.secrets, guard);
  const before = hits;

  for (const host of ['127.0.0.1', '[::ffff:127.0.0.1]']) {
    assert.deepEqual(await failure(runner.run(tool(`http://${host}:${port}/`), {}, CALL)), {
      code: 'tool_failed',
      message:
        `tool 'order_status' could not be reached: refused to connect to ` +
        `${host === '127.0.0.1' ? '127.0.0.1' : '::ffff:7f00:1'}: a loopback address; ` +
        'outgoing requests reach public addresses only',
    });
  }
  assert.equal(hits, before);
  await guard.close();
});

test('when the tool host name resolves to a metadata address, then it is refused after resolution', async () => {
  const guard = new OutgoingGuard({ lookup: resolvingTo('169.254.169.254').lookup });
  const runner = new WebhookToolRunner(tenant.secrets, guard);

  const { code, message } = await failure(
    runner.run(tool('http://orders.example/status'), { id: 7 }, CALL),
  );
  assert.equal(code, 'tool_failed');
  assert.match(
    message,
    /refused to connect to orders\.example \(169\.254\.169\.254\): a cloud metadata address/,
  );
  await guard.close();
});

test('when the operator allows loopback, then the tool is called and its answer comes back', async () => {
  const guard = new OutgoingGuard({ allow: LOOPBACK_RANGES });
  const runner = new WebhookToolRunner(tenant.secrets, guard);

  assert.deepEqual(await runner.run(tool(`http://127.0.0.1:${port}/`), {}, CALL), { ok: true });
  await guard.close();
});

test('when the tool redirects to a refused address, then the redirect is not followed', async () => {
  const { asked, lookup } = resolvingTo('10.0.0.9');
  const guard = new OutgoingGuard({ allow: LOOPBACK_RANGES, lookup });
  const runner = new WebhookToolRunner(tenant.secrets, guard);
  location = 'http://internal.example/admin';
  const before = hits;

  try {
    const { code, message } = await failure(
      runner.run(tool(`http://127.0.0.1:${port}/`), {}, CALL),
    );
    assert.deepEqual([code, message], ['tool_failed', "tool 'order_status' answered HTTP 302"]);
  } finally {
    location = undefined;
  }
  assert.equal(hits, before + 1);
  assert.deepEqual(asked, [], 'the redirect target was never resolved');
  await guard.close();
});
