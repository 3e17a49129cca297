import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startStack } from '../../scripts/lib/stack.js';
import type { Persona } from '@parley/server/contracts';
import { TEST_PORTS, type StackSecrets } from '../../scripts/lib/stack-config.js';

export interface TestStack {
  url: string;
  livekitUrl: string;
  secrets: StackSecrets;
  /** Where the agent journals call records; `<journal>.lock` holds the pid of the call's job. */
  spoolDir: string;
  /** Stops the stack if this suite started it; a no-op for the test command's shared stack. */
  release(): Promise<void>;
}

/**
 * The stack the test command started (PARLEY_TEST_STACK), or — when a suite runs on its own — a
 * fresh one on test ports, which `release()` stops.
 */
export async function testStack(): Promise<TestStack> {
  const fromEnv = process.env.PARLEY_TEST_STACK;
  if (fromEnv)
    return { ...(JSON.parse(fromEnv) as Omit<TestStack, 'release'>), release: async () => {} };
  const stack = await startStack({
    ports: TEST_PORTS,
    stateDir: await mkdtemp(path.join(os.tmpdir(), 'parley-suite-stack-')),
    onLine: () => undefined,
  });
  return { ...stack, release: () => stack.stop() };
}

/** Words of a text, lower-cased, without punctuation. */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9']+/g) ?? [];
}

/** A persona (`default` unless named) as the admin API serves it: what the agent is expected to say. */
export async function personaOf(stack: TestStack, id = 'default'): Promise<Persona> {
  const res = await fetch(`${stack.url}/v1/personas/${id}`, {
    headers: { authorization: `Bearer ${stack.secrets.adminKey}` },
  });
  if (!res.ok) throw new Error(`persona ${id}: HTTP ${res.status}`);
  return (await res.json()) as Persona;
}
