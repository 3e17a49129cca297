import { after } from 'node:test';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startStack } from '../../scripts/lib/stack.js';
import type { StackSecrets } from '../../scripts/lib/stack-config.js';

export interface TestStack {
  url: string;
  livekitUrl: string;
  secrets: StackSecrets;
}

/**
 * The stack the test command started (PARLEY_TEST_STACK), or — when a suite runs on its own — a
 * fresh one on test ports, stopped after the suite.
 */
export async function testStack(): Promise<TestStack> {
  const fromEnv = process.env.PARLEY_TEST_STACK;
  if (fromEnv) return JSON.parse(fromEnv) as TestStack;
  const stack = await startStack({
    ports: { server: 18787, livekit: 17880, livekitTcp: 17881, livekitUdp: 17882, redis: 16390 },
    stateDir: await mkdtemp(path.join(os.tmpdir(), 'parley-suite-stack-')),
    onLine: () => undefined,
  });
  after(() => stack.stop());
  return stack;
}

/** Words of a text, lower-cased, without punctuation. */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9']+/g) ?? [];
}
