import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import type { LookupAddress } from 'node:dns';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { LOOPBACK_RANGES, OutgoingGuard, OutgoingRequestRefused } from './outgoing-guard.js';

/** A receiver on `host`; `hits` counts the requests it was sent. */
async function receiver(
  host: string,
  port = 0,
  listener: RequestListener = (_req, res) => res.end('ok'),
): Promise<{ server: Server; port: number; hits: () => number }> {
  let hits = 0;
  const server = createServer((req, res) => {
    hits += 1;
    listener(req, res);
  }).listen(port, host);
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port, hits: () => hits };
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A resolver that answers from `answers` in turn (the last one for ever) and records the asks. */
function resolver(...answers: string[][]) {
  const asked: string[] = [];
  const lookup = (hostname: string): Promise<LookupAddress[]> => {
    asked.push(hostname);
    const answer = answers[Math.min(asked.length, answers.length) - 1] ?? [];
    return Promise.resolve(
      answer.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
    );
  };
  return { asked, lookup };
}

async function refusal(request: Promise<unknown>): Promise<OutgoingRequestRefused> {
  const err = await request.then(
    () => assert.fail('the request went through'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof OutgoingRequestRefused, `not refused: ${String(err)}`);
  return err;
}

describe('which addresses are refused', () => {
  const guard = new OutgoingGuard();
  after(() => guard.close());

  const refused: Array<[string, string]> = [
    ['127.0.0.1', 'a loopback address'],
    ['127.255.0.9', 'a loopback address'],
    ['::1', 'a loopback address'],
    ['10.1.2.3', 'a private address'],
    ['172.16.0.1', 'a private address'],
    ['172.31.255.254', 'a private address'],
    ['192.168.1.1', 'a private address'],
    ['fc00::1', 'a private (unique-local) address'],
    ['fd12:3456::1', 'a private (unique-local) address'],
    ['169.254.1.1', 'a link-local address'],
    ['fe80::1', 'a link-local address'],
    ['169.254.169.254', 'a cloud metadata address'],
    ['fd00:ec2::254', 'a cloud metadata address'],
    ['100.100.100.200', 'a cloud metadata address'],
    ['224.0.0.1', 'a multicast address'],
    ['ff02::1', 'a multicast address'],
    ['0.0.0.0', 'an unspecified address'],
    ['0.1.2.3', 'an unspecified address'],
    ['::', 'an unspecified address'],
    ['100.64.0.1', 'a carrier-grade NAT address'],
    ['255.255.255.255', 'a broadcast address'],
    ['240.0.0.1', 'a reserved address'],
    ['192.0.2.10', 'a reserved address'],
    ['2001:db8::1', 'a reserved address'],
    ['::ffff:127.0.0.1', 'a loopback address'],
    ['::ffff:7f00:1', 'a loopback address'],
    ['::ffff:169.254.169.254', 'a cloud metadata address'],
    ['::ffff:10.0.0.1', 'a private address'],
    ['::ffff:0:127.0.0.1', 'a loopback address (127.0.0.1, carried in ::ffff:0:7f00:1)'],
    ['64:ff9b::7f00:1', 'a loopback address (127.0.0.1, carried in 64:ff9b::7f00:1)'],
    [
      '64:ff9b::a9fe:a9fe',
      'a cloud metadata address (169.254.169.254, carried in 64:ff9b::a9fe:a9fe)',
    ],
    ['64:ff9b:1::a00:1', 'a local-use NAT64 address'],
    ['2002:c0a8:101::1', 'a private address (192.168.1.1, carried in 2002:c0a8:101::1)'],
    ['2001::1', 'a Teredo address'],
    ['not-an-address', 'not an IP address'],
  ];
  for (const [address, reason] of refused) {
    test(`${address} is refused as ${reason}`, () => {
      assert.equal(guard.refusal(address), reason);
    });
  }

  test('public addresses, and NAT64 or 6to4 of a public one, are allowed', () => {
    for (const address of [
      '8.8.8.8',
      '93.184.216.34',
      '172.32.0.1',
      '100.128.0.1',
      '2606:4700::1111',
      '::ffff:8.8.8.8',
      '64:ff9b::808:808',
      '2002:808:808::1',
    ]) {
      assert.equal(guard.refusal(address), undefined, address);
    }
  });
});

describe('ranges the operator allows', () => {
  test('an allowed range opens its addresses (IPv4-mapped forms too) and nothing else', async () => {
    const guard = new OutgoingGuard({ allow: ['10.0.0.0/8', 'fd00:1234::/32', '192.168.1.7'] });
    assert.equal(guard.refusal('10.20.30.40'), undefined);
    assert.equal(guard.refusal('::ffff:10.20.30.40'), undefined);
    assert.equal(guard.refusal('fd00:1234::9'), undefined);
    assert.equal(guard.refusal('192.168.1.7'), undefined);
    assert.equal(guard.refusal('192.168.1.8'), 'a private address');
    assert.equal(guard.refusal('172.16.0.1'), 'a private address');
    assert.equal(guard.refusal('127.0.0.1'), 'a loopback address');
    await guard.close();
  });

  test('a broader range does not open a metadata address; listing the address itself does', async () => {
    const broad = new OutgoingGuard({ allow: ['169.254.0.0/16', 'fd00::/8'] });
    assert.equal(broad.refusal('169.254.10.10'), undefined);
    assert.equal(broad.refusal('169.254.169.254'), 'a cloud metadata address');
    assert.equal(broad.refusal('fd00:ec2::254'), 'a cloud metadata address');
    const exact = new OutgoingGuard({ allow: ['169.254.169.254/32'] });
    assert.equal(exact.refusal('169.254.169.254'), undefined);
    await Promise.all([broad.close(), exact.close()]);
  });

  test('an entry that is not an address or CIDR is refused at construction, naming it', () => {
    for (const entry of ['10.0.0.0/33', 'example.com', '10.0.0.0/8/1', '::1/129', '']) {
      assert.throws(() => new OutgoingGuard({ allow: [entry] }), new RegExp(`'${entry}'`));
    }
  });
});

describe('checking a URL when it is stored', () => {
  const guard = new OutgoingGuard();
  after(() => guard.close());

  test('a URL whose host is a refused address, or localhost, is refused', () => {
    for (const url of [
      'http://127.0.0.1:8080/hook',
      'http://2130706433/',
      'http://[::1]/',
      'http://[::ffff:127.0.0.1]/',
      'https://169.254.169.254/latest/meta-data/',
      'http://10.0.0.5/',
      'http://localhost:3000/',
      'http://api.localhost/',
    ]) {
      assert.ok(guard.refusedUrl(url) instanceof OutgoingRequestRefused, url);
    }
  });

  test('a host name, or a public address, passes (names are checked when called)', () => {
    assert.equal(guard.refusedUrl('https://hooks.example.com/parley'), undefined);
    assert.equal(guard.refusedUrl('http://8.8.8.8/'), undefined);
  });

  test('loopback passes where the operator allows it', async () => {
    const dev = new OutgoingGuard({ allow: LOOPBACK_RANGES });
    for (const url of ['http://127.0.0.1:8080/', 'http://localhost:8080/', 'http://[::1]:8080/']) {
      assert.equal(dev.refusedUrl(url), undefined, url);
    }
    await dev.close();
  });
});

describe('requests through the guard', () => {
  let loopback: Awaited<ReturnType<typeof receiver>>;
  before(async () => {
    loopback = await receiver('127.0.0.1');
  });
  after(() => close(loopback.server));

  test('a literal loopback URL (plain, IPv6, IPv4-mapped) is refused before any connection', async () => {
    const guard = new OutgoingGuard();
    for (const host of ['127.0.0.1', '[::1]', '[::ffff:127.0.0.1]', '[::ffff:7f00:1]']) {
      const err = await refusal(guard.fetch(`http://${host}:${loopback.port}/`));
      assert.equal(err.reason, 'a loopback address');
    }
    assert.equal(loopback.hits(), 0);
    await guard.close();
  });

  test('a host name that resolves to loopback is refused after resolution, with a clear message', async () => {
    const { asked, lookup } = resolver(['127.0.0.1']);
    const guard = new OutgoingGuard({ lookup });
    const err = await refusal(guard.fetch(`http://hooks.example:${loopback.port}/`));
    assert.equal(
      err.message,
      'refused to connect to hooks.example (127.0.0.1): a loopback address; ' +
        'outgoing requests reach public addresses only',
    );
    assert.equal(err.code, 'address_refused');
    assert.deepEqual(asked, ['hooks.example']);
    assert.equal(loopback.hits(), 0);
    await guard.close();
  });

  test('a name with a public and a private answer is refused: every answer is checked', async () => {
    const guard = new OutgoingGuard({ lookup: resolver(['8.8.8.8', '10.0.0.1']).lookup });
    const err = await refusal(guard.fetch('http://mixed.example/'));
    assert.equal(err.address, '10.0.0.1');
    await guard.close();
  });

  test('a name resolving to an IPv4-mapped metadata address is refused', async () => {
    const guard = new OutgoingGuard({ lookup: resolver(['::ffff:169.254.169.254']).lookup });
    const err = await refusal(guard.fetch('http://metadata.example/latest/'));
    assert.equal(err.reason, 'a cloud metadata address');
    await guard.close();
  });

  test('where the operator allows loopback, the request goes through with its own Host', async () => {
    const hosts: Array<string | undefined> = [];
    const echo = await receiver('127.0.0.1', 0, (req, res) => {
      hosts.push(req.headers.host);
      res.end('hello');
    });
    const guard = new OutgoingGuard({
      allow: LOOPBACK_RANGES,
      lookup: resolver(['127.0.0.1']).lookup,
    });
    const direct = await guard.fetch(`http://127.0.0.1:${echo.port}/`);
    const named = await guard.fetch(`http://hooks.example:${echo.port}/`);
    assert.deepEqual([await direct.text(), await named.text()], ['hello', 'hello']);
    assert.deepEqual(hosts, [`127.0.0.1:${echo.port}`, `hooks.example:${echo.port}`]);
    await guard.close();
    await close(echo.server);
  });

  test('a redirect to a refused address is not followed: the 3xx answer comes back', async () => {
    const redirecting = await receiver('127.0.0.1', 0, (_req, res) =>
      res.writeHead(302, { location: 'http://metadata.example/latest/meta-data/' }).end(),
    );
    const { asked, lookup } = resolver(['169.254.169.254']);
    const guard = new OutgoingGuard({ allow: ['127.0.0.1'], lookup });
    const res = await guard.fetch(`http://127.0.0.1:${redirecting.port}/`);
    assert.equal(res.status, 302);
    await res.arrayBuffer();
    assert.deepEqual(asked, [], 'the redirect target was never even resolved');
    await guard.close();
    await close(redirecting.server);
  });

  test('a resolver that answers differently the second time (DNS rebinding) never reaches loopback', async () => {
    // 127.0.0.2 stands for a public address here (no internet): the one address allowed.
    const checked = await receiver('127.0.0.2', 0, (_req, res) =>
      res.writeHead(200, { connection: 'close' }).end('checked'),
    );
    const rebound = await receiver('127.0.0.1', checked.port);
    const { asked, lookup } = resolver(['127.0.0.2'], ['127.0.0.1']);
    const guard = new OutgoingGuard({ allow: ['127.0.0.2/32'], lookup });
    const url = `http://rebind.example:${checked.port}/`;

    const first = await guard.fetch(url);
    assert.equal(await first.text(), 'checked');
    assert.equal(
      asked.length,
      1,
      'one resolution per connection, not one to check and one to dial',
    );
    // The connection closed: the next request resolves again, gets loopback, and is refused.
    await refusal(guard.fetch(url));
    assert.deepEqual([checked.hits(), rebound.hits(), asked.length], [1, 0, 2]);
    await guard.close();
    await Promise.all([close(checked.server), close(rebound.server)]);
  });

  test('only http(s) URLs are requested', async () => {
    const guard = new OutgoingGuard();
    await assert.rejects(guard.fetch('data:text/plain,hello'), /only http\(s\)/);
    await guard.close();
  });
});

describe('TLS to a checked address', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-guard-tls-'));
  let openssl = true;
  try {
    execFileSync(
      'openssl',
      // prettier-ignore
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
        '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '1',
        '-subj', '/CN=tls.example', '-addext', 'subjectAltName=DNS:tls.example'],
      { stdio: 'ignore' },
    );
  } catch {
    openssl = false;
  }
  after(() => rmSync(dir, { recursive: true, force: true }));

  test(
    "the certificate is verified against the URL's host name, not the address dialled",
    { skip: !openssl && 'openssl is not installed' },
    async () => {
      const cert = readFileSync(path.join(dir, 'cert.pem'), 'utf8');
      const key = readFileSync(path.join(dir, 'key.pem'), 'utf8');
      const server = createTlsServer({ cert, key }, (_req, res) => res.end('secure')).listen(
        0,
        '127.0.0.1',
      );
      await once(server, 'listening');
      const { port } = server.address() as AddressInfo;
      const guard = new OutgoingGuard({
        allow: LOOPBACK_RANGES,
        lookup: resolver(['127.0.0.1']).lookup,
        ca: cert,
      });

      const res = await guard.fetch(`https://tls.example:${port}/`);
      assert.equal(await res.text(), 'secure');
      const err = await guard.fetch(`https://other.example:${port}/`).catch((e: unknown) => e);
      assert.ok(err instanceof Error);
      assert.equal((err.cause as NodeJS.ErrnoException).code, 'ERR_TLS_CERT_ALTNAME_INVALID');
      await guard.close();
      server.closeAllConnections();
      server.close();
    },
  );
});
