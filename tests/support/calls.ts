import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { PersonaInput, SessionResponse } from '@parley/contracts';
import type { TestStack } from './stack-env.js';

/** A call as the admin API serves it (the fields these suites read). */
export interface StoredCall {
  id: string;
  roomName: string;
  status: 'active' | 'ended';
  outcome?: string;
  closedBy?: string;
  leadTemperature?: string;
  turns: Array<{
    seq: number;
    userText?: string;
    agentText?: string;
    interrupted: boolean;
    timings: Record<string, number>;
    toolCalls: Array<{
      name: string;
      args: Record<string, unknown>;
      result?: unknown;
      error?: string;
    }>;
  }>;
}

export async function admin<T>(
  stack: TestStack,
  route: string,
  init: RequestInit = {},
): Promise<T> {
  const res = await fetch(`${stack.url}${route}`, {
    ...init,
    headers: {
      authorization: `Bearer ${stack.secrets.adminKey}`,
      'content-type': 'application/json',
      ...init.headers,
    },
  });
  const body = (await res.json()) as T;
  assert.ok(res.ok, `${init.method ?? 'GET'} ${route} → ${res.status} ${JSON.stringify(body)}`);
  return body;
}

/** Creates a persona through the admin API, or makes it a new version if it exists. */
export async function putPersona(stack: TestStack, persona: PersonaInput): Promise<void> {
  const res = await fetch(`${stack.url}/v1/personas/${persona.id}`, {
    headers: { authorization: `Bearer ${stack.secrets.adminKey}` },
  });
  await admin(stack, res.ok ? `/v1/personas/${persona.id}` : '/v1/personas', {
    method: res.ok ? 'PUT' : 'POST',
    body: JSON.stringify(persona),
  });
}

export async function openSession(
  stack: Pick<TestStack, 'url'>,
  persona: string,
): Promise<SessionResponse> {
  const res = await fetch(`${stack.url}/v1/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ persona, visitor: { name: 'Test' } }),
  });
  assert.equal(res.status, 201, await res.clone().text());
  return (await res.json()) as SessionResponse;
}

/** The stored call of a room, once the agent has created it. */
export async function callOfRoom(stack: TestStack, roomName: string): Promise<StoredCall> {
  const page = await admin<{ items: StoredCall[] }>(stack, '/v1/calls?limit=100');
  const call = page.items.find((c) => c.roomName === roomName);
  assert.ok(call, `no stored call for room ${roomName}`);
  return admin<StoredCall>(stack, `/v1/calls/${call.id}`);
}

/** Polls `read` until `done` holds for its answer (or times out with the last answer). */
export async function eventually<T>(
  what: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      last = await read();
      if (done(last)) return last;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}; last: ${JSON.stringify(last) ?? String(lastError)}`,
  );
}

/** The pid of the agent job recording `roomName` (from its call journal's lock). */
export async function jobPidOfRoom(stack: TestStack, roomName: string): Promise<number> {
  const safeRoom = roomName.replace(/[^\w.-]+/g, '_').slice(0, 80);
  const locks = (await readdir(stack.spoolDir)).filter(
    (name) => name.includes(`-${safeRoom}-`) && name.endsWith('.jsonl.lock'),
  );
  const [lock] = locks;
  assert.ok(lock && locks.length === 1, `one live journal for ${roomName}: ${locks.join(', ')}`);
  const { pid } = JSON.parse(await readFile(path.join(stack.spoolDir, lock), 'utf8')) as {
    pid: number;
  };
  return pid;
}
