import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { appendFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CallRecorder } from './call-recorder.js';
import { AGENT_KEY, memoryLogger, ParleyTestServer } from '../../test/parley-test-server.js';
import { SpoolJournal } from './spool-journal.js';
import { flushSpool, startSpoolFlusher } from './spool-flusher.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CHILD = fileURLToPath(new URL('../../test/killed-recorder.fixture.ts', import.meta.url));

let server: ParleyTestServer;
let spoolRoot: string;

before(async () => {
  server = await ParleyTestServer.start();
  spoolRoot = await mkdtemp(path.join(os.tmpdir(), 'parley-flush-'));
});

after(async () => {
  await server.stop();
  await rm(spoolRoot, { recursive: true, force: true });
});

const newSpoolDir = () => path.join(spoolRoot, randomUUID());
const flush = (spoolDir: string) =>
  flushSpool({ serverUrl: server.url, agentKey: AGENT_KEY, spoolDir, logger: memoryLogger() });

describe('flushSpool', () => {
  test('when an agent process is killed mid-call, then a new process replays what it had journaled, exactly once', async () => {
    const spoolDir = newSpoolDir();
    const roomName = `sip_${randomUUID()}`;
    // One process (not the tsx launcher, which runs node as its child): SIGKILL must hit the
    // recorder itself.
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', CHILD, server.url, AGENT_KEY, spoolDir, roomName],
      { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'inherit'] },
    );
    const exited = once(child, 'exit');
    try {
      const answers = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
      const next = async () => JSON.parse(String((await answers.next()).value)) as object;
      const tell = (command: object) => child.stdin.write(`${JSON.stringify(command)}\n`);

      assert.ok('ready' in (await next()));
      tell({ turn: { agentText: 'Hello, you reached Acme.' } });
      tell({ turn: { userText: 'Are you open?', agentText: 'Nine to five.' } });
      tell({ idle: true });
      await next();
      await next();
      assert.ok('idle' in (await next()));

      await server.pause();
      tell({ turn: { userText: 'And on Sunday?', agentText: 'Closed on Sundays.' } });
      assert.ok('journaled' in (await next()));
      assert.deepEqual(
        await flush(spoolDir),
        { completed: 0, busy: 1, deferred: 0, sent: 0, dropped: 0 },
        'the journal of a running agent is left alone',
      );
      child.kill('SIGKILL');
      await exited;
    } finally {
      child.kill('SIGKILL');
      await server.resume();
    }

    const report = await flush(spoolDir);
    assert.deepEqual(report, { completed: 1, busy: 0, deferred: 0, sent: 1, dropped: 0 });
    const call = await server.callOfRoom(roomName);
    assert.deepEqual(
      call?.turns.map((t) => [t.seq, t.agentText]),
      [
        [1, 'Hello, you reached Acme.'],
        [2, 'Nine to five.'],
        [3, 'Closed on Sundays.'],
      ],
    );
    assert.equal(call?.status, 'active', 'closing it is left to the LiveKit webhook');
    assert.deepEqual(await readdir(spoolDir), []);
  });

  test('when the server is still unreachable, then the journals stay for the next flush', async () => {
    const spoolDir = newSpoolDir();
    await server.pause();
    const rooms: string[] = [];
    try {
      for (const text of ['first call', 'second call']) {
        const recorder = await CallRecorder.start({
          serverUrl: server.url,
          agentKey: AGENT_KEY,
          call: { personaId: 'default', channel: 'web', roomName: `web_${randomUUID()}` },
          spoolDir,
          drainTimeoutMs: 0,
          logger: memoryLogger(),
        });
        rooms.push(recorder.roomName);
        await recorder.appendTurn({ agentText: text });
        await recorder.close({ outcome: 'completed' });
      }
      const down = await flush(spoolDir);
      assert.equal(down.sent, 0);
      assert.equal(down.deferred, 2);
      assert.equal((await readdir(spoolDir)).filter((f) => f.endsWith('.jsonl')).length, 2);
    } finally {
      await server.resume();
    }

    assert.deepEqual(await flush(spoolDir), {
      completed: 2,
      busy: 0,
      deferred: 0,
      sent: 6,
      dropped: 0,
    });
    for (const [i, room] of rooms.entries()) {
      const call = await server.callOfRoom(room);
      assert.equal(call?.status, 'ended');
      assert.deepEqual(
        call?.turns.map((t) => t.agentText),
        [['first call', 'second call'][i]],
      );
    }
  });

  test('when a journal ends in a line cut by a crash, then the rest is replayed and the cut line skipped', async () => {
    const spoolDir = newSpoolDir();
    const roomName = `web_${randomUUID()}`;
    const journal = await SpoolJournal.create(spoolDir, roomName);
    await journal.record(0, {
      type: 'create',
      call: { personaId: 'default', channel: 'web', roomName },
    });
    await journal.record(1, { type: 'turn', key: `${roomName}:1`, turn: { agentText: 'Hi!' } });
    await journal.release();
    await appendFile(journal.path, '{"v":1,"n":2,"op":{"type":"tu');

    const claimed = await SpoolJournal.claim(journal.path);
    assert.ok(claimed);
    // An answer to an op not in the journal: it is only here to be read back.
    await claimed.ack(9);
    const state = await claimed.read();
    assert.equal(state.unreadable, 1);
    assert.deepEqual([...state.acked], [9], 'the ack is not glued onto the cut line');
    await claimed.release();

    const logger = memoryLogger();
    const report = await flushSpool({
      serverUrl: server.url,
      agentKey: AGENT_KEY,
      spoolDir,
      logger,
    });
    assert.equal(report.sent, 2);
    assert.ok(logger.lines.some((l) => /unreadable/.test(l.msg)));
    assert.deepEqual(
      (await server.callOfRoom(roomName))?.turns.map((t) => t.agentText),
      ['Hi!'],
    );
  });

  test('when a lock is left by a process that is gone, then its journal is taken over and a lone lock removed', async () => {
    const spoolDir = newSpoolDir();
    const roomName = `web_${randomUUID()}`;
    const journal = await SpoolJournal.create(spoolDir, roomName);
    await journal.record(0, {
      type: 'create',
      call: { personaId: 'default', channel: 'web', roomName },
    });
    await journal.release();
    const deadOwner = JSON.stringify({ pid: 2 ** 30, owner: 'gone' });
    await writeFile(`${journal.path}.lock`, deadOwner);
    await writeFile(path.join(spoolDir, 'removed.jsonl.lock'), deadOwner);

    const report = await flush(spoolDir);
    assert.equal(report.completed, 1);
    assert.ok(await server.callOfRoom(roomName));
    assert.deepEqual(await readdir(spoolDir), []);
  });

  test('when the flusher runs, then it flushes at start and on demand, one flush at a time', async () => {
    const spoolDir = newSpoolDir();
    const roomName = `web_${randomUUID()}`;
    const journal = await SpoolJournal.create(spoolDir, roomName);
    await journal.record(0, {
      type: 'create',
      call: { personaId: 'default', channel: 'web', roomName },
    });
    await journal.release();

    const flusher = startSpoolFlusher({
      serverUrl: server.url,
      agentKey: AGENT_KEY,
      spoolDir,
      intervalMs: 3_600_000,
      logger: memoryLogger(),
    });
    try {
      const [first, joined] = [flusher.flush(), flusher.flush()];
      assert.equal(first, joined, 'a flush asked for while one runs joins it');
      const report = await first;
      // The start-up flush may have taken the journal already; between them it went once.
      assert.ok(report);
      assert.ok(await server.callOfRoom(roomName));
      assert.equal((await flusher.flush())?.sent, 0);
    } finally {
      await flusher.stop();
    }
    assert.equal(await flusher.flush(), undefined, 'a stopped flusher does nothing');
    assert.deepEqual(await readdir(spoolDir), []);
  });
});
