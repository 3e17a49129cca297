import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import { type HeartbeatLogger, WorkerHeartbeat } from './heartbeat.js';

interface Beat {
  headers: IncomingHttpHeaders;
  url?: string;
  body: unknown;
}

describe('WorkerHeartbeat', () => {
  let server: Server;
  let serverUrl: string;
  let beats: Beat[];
  let status = 204;
  const warnings: string[] = [];
  const logger: HeartbeatLogger = { info: () => {}, warn: (_o, msg) => warnings.push(msg) };

  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        beats.push({ headers: req.headers, url: req.url, body: JSON.parse(body) });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    beats = [];
    status = 204;
    warnings.length = 0;
  });

  const make = (opts: Partial<ConstructorParameters<typeof WorkerHeartbeat>[0]> = {}) =>
    new WorkerHeartbeat({ serverUrl, agentKey: 'k', agentName: 'parley', logger, ...opts });

  test("with maxJobs, each heartbeat carries the worker's load, and a changed call count is sent at once", async () => {
    const hb = make({ pid: 7, maxJobs: 4, intervalMs: 60_000 });
    hb.observe('AW_load', 0);
    await hb.beat();
    hb.observe('AW_load', 0);
    hb.observe('AW_load', 3);
    const deadline = Date.now() + 2_000;
    while (
      Date.now() < deadline &&
      !beats.some((b) => (b.body as { activeJobs?: number }).activeJobs === 3)
    ) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const counts = beats.map((b) => (b.body as { activeJobs?: number }).activeJobs);
    assert.deepEqual(beats[0]?.body, {
      agentName: 'parley',
      workerId: 'AW_load',
      pid: 7,
      activeJobs: 0,
      maxJobs: 4,
    });
    assert.equal(
      counts.at(-1),
      3,
      `the new count is sent without waiting a minute: ${counts.join(',')}`,
    );
    assert.ok(
      counts.filter((c) => c === 0).length <= 2,
      `an unchanged count is not resent: ${counts.join(',')}`,
    );
    hb.stop();
  });

  test('nothing is sent before the worker is registered', async () => {
    const hb = make();
    hb.observe('unregistered');
    assert.equal(await hb.beat(), false);
    assert.equal(beats.length, 0);
    hb.stop();
  });

  test('when the worker registers, then a heartbeat is posted at once with its id and pid', async () => {
    const hb = make({ pid: 4242 });
    hb.observe('AW_abc');
    await hb.beat();
    assert.ok(beats.length >= 1);
    assert.equal(beats[0]?.url, '/internal/workers/heartbeat');
    assert.equal(beats[0]?.headers.authorization, 'Bearer k');
    assert.deepEqual(beats[0]?.body, { agentName: 'parley', workerId: 'AW_abc', pid: 4242 });
    hb.stop();
  });

  test('heartbeats repeat every interval while the worker keeps showing signs of life', async () => {
    const hb = make({ intervalMs: 100 });
    const load = hb.wrapLoadFunc(async () => 0.25);
    const worker = { id: 'AW_live' };
    assert.equal(await load(worker), 0.25, 'the wrapped load function still reports load');
    const alive = setInterval(() => void load(worker), 50);
    await new Promise((resolve) => setTimeout(resolve, 450));
    clearInterval(alive);
    hb.stop();
    assert.ok(beats.length >= 4, `${beats.length} heartbeats`);
  });

  test('when the worker stops showing signs of life, then heartbeats stop', async () => {
    let now = 0;
    const hb = make({ staleAfterMs: 1000, now: () => now });
    hb.observe('AW_gone');
    now = 500;
    assert.equal(await hb.beat(), true);
    now = 1600;
    assert.equal(await hb.beat(), false);
    const sent = beats.length;
    now = 5000;
    await hb.beat();
    assert.equal(beats.length, sent);
    hb.stop();
  });

  test('when the server refuses, then the beat fails and the outage is logged once', async () => {
    status = 503;
    const hb = make();
    hb.observe('AW_x');
    assert.equal(await hb.beat(), false);
    assert.equal(await hb.beat(), false);
    assert.equal(warnings.length, 1);
    status = 204;
    assert.equal(await hb.beat(), true);
    hb.stop();
  });
});
