/**
 * Scale-out on LiveKit's own engine, on one machine standing in for two: two livekit-server nodes
 * sharing one Redis, two Parley servers sharing one PostgreSQL (and nothing else), and two agent
 * workers, each talking to its own node and server. Calls opened through either server are spread
 * over both workers; killing one worker with its job processes (a machine going down) ends its
 * calls cleanly (the visitor sees the agent go, the record is closed) while the other worker's
 * calls go on and new calls, through either server, go to the surviving worker. The suite starts
 * a stack of its own, on ports clear of the shared test stack's and the admission suite's.
 */
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { dispose } from '@livekit/rtc-node';
import type { Persona } from '@parley/contracts';
import { startPostgres, type ThrowawayPostgres } from '../../scripts/lib/postgres.js';
import { REPO_ROOT, TEST_PORTS, shiftPorts } from '../../scripts/lib/stack-config.js';
import type { StackReplica } from '../../scripts/lib/stack.js';
import { callOfRoom, eventually, jobPidOfRoom, openSession } from '../support/calls.js';
import { HeadlessVisitor } from '../support/headless-visitor.js';
import { sampleTree } from '../support/process-stats.js';
import { personaOf, startLoggedStack, type LoggedStack } from '../support/stack-env.js';
import { padWithSilence, synthesize, type Pcm } from '../support/wav.js';

const ports = shiftPorts(TEST_PORTS, 1000);

let postgres: ThrowawayPostgres;
let stack: LoggedStack;
let persona: Persona;
const visitors: HeadlessVisitor[] = [];
/** A question of the default persona's knowledge, spoken by Flite (16 kHz). */
const QUESTION = 'Do you offer free shipping?';
let question: Pcm;

interface Call {
  visitor: HeadlessVisitor;
  roomName: string;
  /** The replica whose server opened the session. */
  via: StackReplica;
}

const replica = (n: number) => stack.replicas[n - 1] as StackReplica;

/** A visitor greeted by the agent, through replica `via`'s server and LiveKit node. */
async function callIn(via: StackReplica): Promise<Call> {
  const session = await openSession(via, persona.id);
  assert.equal(session.serverUrl, via.livekitUrl, 'the visitor joins the node of its server');
  const visitor = new HeadlessVisitor();
  visitors.push(visitor);
  await visitor.join(session);
  await visitor.publishMicrophone(question.sampleRate);
  await visitor.waitUntil(
    'the greeting',
    () => visitor.transcript('agent').includes(persona.greeting),
    60_000,
  );
  return { visitor, roomName: session.roomName, via };
}

/** Which worker serves a call: the replica whose journal folder holds the call's live journal. */
async function workerOf(call: Call): Promise<number> {
  for (const r of stack.replicas) {
    const pid = await jobPidOfRoom({ ...stack, spoolDir: r.spoolDir }, call.roomName).catch(
      () => undefined,
    );
    if (pid !== undefined) return r.n;
  }
  throw new Error(`no worker journals the call in ${call.roomName}`);
}

before(async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-scale-out-'));
  question = padWithSilence(await synthesize(QUESTION, path.join(dir, 'question.wav')), 0.3, 1.5);
  postgres = await startPostgres();
  stack = await startLoggedStack(
    'scale-out',
    path.join(REPO_ROOT, 'tests', 'artifacts', 'scale-out-stack.log'),
    {
      ports,
      replicas: 2,
      serverEnv: { DATABASE_URL: postgres.url },
      // One warm job process per worker: four calls at most run here at once.
      agentEnv: { PARLEY_AGENT_IDLE_PROCESSES: '1' },
    },
  );
  persona = await personaOf(stack);
});

after(async () => {
  for (const visitor of visitors) await visitor.leave();
  await dispose();
  await stack?.release();
  await postgres?.stop();
});

describe('two machines: LiveKit nodes on one Redis, servers on one database, two workers', () => {
  const calls: Call[] = [];

  test('both servers see both workers, and calls through either server are spread over both', async (t) => {
    for (const r of stack.replicas) {
      const health = (await (await fetch(`${r.url}/healthz`)).json()) as { agentWorkers: number };
      assert.equal(health.agentWorkers, 2, `server ${r.n} knows both workers`);
    }
    // Two calls through each server; LiveKit dispatches each to the less loaded worker.
    for (const n of [1, 2, 1, 2]) calls.push(await callIn(replica(n)));
    const workers = await Promise.all(calls.map(workerOf));
    t.diagnostic(`calls through servers 1, 2, 1, 2 went to workers ${workers.join(', ')}`);
    assert.deepEqual(
      [...new Set(workers)].sort(),
      [1, 2],
      `both workers serve calls: ${workers.join(', ')}`,
    );
    // A record made by a call through one server is read through the other.
    for (const call of calls) {
      const other = replica(call.via.n === 1 ? 2 : 1);
      const record = await callOfRoom({ ...stack, url: other.url }, call.roomName);
      assert.equal(record.status, 'active');
    }
  });

  test('killing a worker ends its calls cleanly; the other worker keeps its calls and takes the new ones', async (t) => {
    const served = await Promise.all(
      calls.map(async (call) => ({ call, worker: await workerOf(call) })),
    );
    const doomed = served.filter((s) => s.worker === 2).map((s) => s.call);
    const kept = served.filter((s) => s.worker === 1).map((s) => s.call);
    assert.ok(doomed.length > 0 && kept.length > 0);

    // The machine goes down: its worker and every job process it started, at once.
    const worker = stack.processes.find((p) => p.name === 'agent-2')?.child.pid;
    assert.ok(worker);
    const killedAt = performance.now();
    const since = () => `${Math.round(performance.now() - killedAt)} ms after the kill`;
    for (const p of sampleTree(worker).processes) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }

    // The other worker's calls go on: each is still answered.
    const answer = persona.knowledge.find((k) => k.question === QUESTION)?.answer;
    assert.ok(answer);
    await Promise.all(
      kept.map(async (call) => {
        await call.visitor.speak(question);
        await call.visitor.waitUntil(
          `the answer in ${call.roomName}, served by the surviving worker`,
          () => call.visitor.transcript('agent').includes(answer),
          60_000,
        );
        assert.equal(await workerOf(call), 1);
        t.diagnostic(`a surviving call answered ${since()}`);
      }),
    );
    // The killed worker's callers see the agent go, and their records are closed.
    await Promise.all(
      doomed.map(async (call) => {
        await call.visitor.waitUntil(
          'the agent of the killed worker to leave',
          () => !call.visitor.agentPresent,
          60_000,
        );
        t.diagnostic(`a visitor of the killed worker saw the agent leave ${since()}`);
        await call.visitor.leave();
        const closed = await eventually(
          `the record of ${call.roomName} closed`,
          () => callOfRoom(stack, call.roomName),
          (c) => c.status === 'ended',
          60_000,
        );
        assert.equal(closed.outcome, 'failed');
        t.diagnostic(`its record closed (failed) ${since()}`);
      }),
    );

    // New calls, through either server, are greeted by the surviving worker.
    const both = await eventually(
      'both servers to see one worker',
      () =>
        Promise.all(
          stack.replicas.map(async (r) => {
            const res = await fetch(`${r.url}/healthz`);
            return ((await res.json()) as { agentWorkers: number }).agentWorkers;
          }),
        ),
      (counts) => counts.every((c) => c === 1),
      30_000,
    );
    assert.deepEqual(both, [1, 1]);
    t.diagnostic(`both servers counted one worker ${since()}`);
    for (const n of [2, 1]) {
      const call = await callIn(replica(n));
      assert.equal(await workerOf(call), 1, `a new call through server ${n} goes to worker 1`);
    }
  });
});
