/**
 * Standby rooms on the real stack: the server keeps a room open with an agent already in it
 * (connected, persona loaded, greeting rendered, audio track published), and the next web
 * session takes it instead of a fresh room. The visitor who takes one is greeted and answered
 * like any other; a session for another persona, or for a persona edited since the room opened,
 * takes it too and hears that persona. A session never joined holds its room only for a while.
 */
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { dispose } from '@livekit/rtc-node';
import {
  type Persona,
  type PersonaInput,
  type SessionResponse,
  StandbyDispatchSchema,
} from '@parley/contracts';
import { greetedVisitor, type HeadlessVisitor } from '../support/headless-visitor.js';
import { eventually, openSession, putPersona } from '../support/calls.js';
import { livekitClients } from '../support/phone-calls.js';
import { personaOf, testStack, type TestStack } from '../support/stack-env.js';
import { padWithSilence, synthesize } from '../support/wav.js';

/** `livekit.ParticipantInfo.Kind.AGENT` (the server SDK does not export the enum). */
const AGENT_KIND = 4;

let stack: TestStack;
let persona: Persona;
const visitors: HeadlessVisitor[] = [];

/** A persona of this suite's own, so editing it changes nothing another suite hears. */
const OTHER: PersonaInput = {
  id: 'standby-other',
  name: 'Standby Other',
  greeting: 'Standby desk, good day.',
  instructions: 'Answer briefly.',
};

before(async () => {
  stack = await testStack();
  persona = await personaOf(stack);
  await putPersona(stack, OTHER);
});

after(async () => {
  for (const visitor of visitors) await visitor.leave();
  await dispose();
  await stack.release();
});

/**
 * The standby rooms: dispatched with a standby dispatch (`{ standby: true, … }`), not claimed
 * (no metadata), with an agent in them and nobody else.
 */
async function standbyRooms(): Promise<string[]> {
  const { rooms, dispatches } = livekitClients(stack);
  const standby: string[] = [];
  for (const room of await rooms.listRooms()) {
    if (room.metadata) continue;
    const dispatched = await dispatches.listDispatch(room.name);
    if (!dispatched.some((d) => StandbyDispatchSchema.safeParse(parseJson(d.metadata)).success)) {
      continue;
    }
    const participants = await rooms.listParticipants(room.name);
    const agents = participants.filter((p) => p.kind === AGENT_KIND);
    if (agents.length > 0 && agents.length === participants.length) standby.push(room.name);
  }
  return standby;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Waits for a standby room whose agent is ready (its audio track published). */
async function readyStandbyRoom(): Promise<string> {
  const { rooms } = livekitClients(stack);
  const ready = async () => {
    for (const name of await standbyRooms()) {
      const [agent] = await rooms.listParticipants(name);
      if (agent && agent.tracks.length > 0) return name;
    }
    return undefined;
  };
  const room = await eventually('a standby room with its agent ready', ready, Boolean, 60_000);
  assert.ok(room);
  return room;
}

const greeted = (session: SessionResponse, greeting: string) =>
  greetedVisitor(session, greeting, visitors);

describe('standby rooms', () => {
  test('after a first session, the next one takes a room whose agent was waiting, and is greeted and answered', async () => {
    // The pool opens rooms for the persona last asked for.
    const first = await greeted(await openSession(stack, persona.id), persona.greeting);
    await first.leave();
    const waiting = await readyStandbyRoom();

    const session = await openSession(stack, persona.id);
    assert.equal(session.roomName, waiting, 'the session took the waiting room');
    const visitor = await greeted(session, persona.greeting);

    const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-standby-'));
    const question = await synthesize('Do you offer free shipping?', path.join(dir, 'q.wav'));
    const expected = persona.knowledge.find((k) => k.question === 'Do you offer free shipping?');
    assert.ok(expected, 'the default persona answers the shipping question');
    await visitor.waitUntil(
      'the agent to listen',
      () => visitor.agentState === 'listening',
      30_000,
    );
    await visitor.speak(padWithSilence(question, 0.3, 2));
    await visitor.waitUntil(
      'the knowledge answer',
      () => visitor.transcript('agent').includes(expected.answer),
      60_000,
    );
    await visitor.leave();
  });

  test('a room waiting with one persona serves a session of another: its agent loads that one', async () => {
    const waiting = await readyStandbyRoom();
    const session = await openSession(stack, OTHER.id);
    assert.equal(session.roomName, waiting);
    const visitor = await greeted(session, OTHER.greeting);
    assert.ok(!visitor.transcript('agent').includes(persona.greeting), 'not the first persona');
    await visitor.leave();
  });

  test('a persona edited after its room opened is loaded again: the visitor hears the edit', async () => {
    // The last session was the other persona's: the pool's next room preloads it.
    const waiting = await readyStandbyRoom();
    const edited = { ...OTHER, greeting: 'Standby desk, edited greeting.' };
    await putPersona(stack, edited);
    const session = await openSession(stack, OTHER.id);
    assert.equal(session.roomName, waiting);
    const visitor = await greeted(session, edited.greeting);
    await visitor.leave();
  });

  test('a room taken by a session whose visitor never joins is closed, and the pool opens another', async () => {
    const waiting = await readyStandbyRoom();
    const session = await openSession(stack, persona.id);
    assert.equal(session.roomName, waiting);
    const { rooms } = livekitClients(stack);
    // The agent waits 20 s for the visitor, the server as long; then both let the room go.
    await eventually(
      'the untaken room closed',
      async () => (await rooms.listRooms([waiting])).length,
      (count) => count === 0,
      45_000,
    );
    const next = await readyStandbyRoom();
    assert.notEqual(next, waiting);
  });
});
