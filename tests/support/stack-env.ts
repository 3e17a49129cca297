import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startStack, type Stack, type StackOptions } from '../../scripts/lib/stack.js';
import type { Persona } from '@parley/contracts';
import { TEST_PORTS, type StackSecrets } from '../../scripts/lib/stack-config.js';

export interface TestStack {
  url: string;
  livekitUrl: string;
  secrets: StackSecrets;
  /** Where the agent journals call records; `<journal>.lock` holds the pid of the call's job. */
  spoolDir: string;
  /** livekit-sip's SIP address (`127.0.0.1:15060`): where test phones dial. */
  sipAddress: string;
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

/** A stack a run starts for itself, with every component's output kept in a log file. */
export interface LoggedStack extends Stack {
  logFile: string;
  /** Stops the stack, closes its log and removes its state. */
  release(): Promise<void>;
}

export type LoggedStackOptions = Omit<StackOptions, 'stateDir' | 'onLine'> & {
  /** Also told every line, after it is logged. */
  observe?: (component: string, line: string) => void;
};

/**
 * Starts a stack of the bench, load or chaos runs' own: its state in a temporary folder (named
 * after `name`), every line of every component prefixed with the component's name in `logFile`.
 * A stack that fails to start leaves nothing behind.
 */
export async function startLoggedStack(
  name: string,
  logFile: string,
  { observe, ...options }: LoggedStackOptions,
): Promise<LoggedStack> {
  await mkdir(path.dirname(logFile), { recursive: true });
  const log = createWriteStream(logFile);
  const stateDir = await mkdtemp(path.join(os.tmpdir(), `parley-${name}-`));
  const cleanUp = async () => {
    await new Promise((resolve) => log.end(resolve));
    await rm(stateDir, { recursive: true, force: true });
  };
  let stack: Stack;
  try {
    stack = await startStack({
      ...options,
      stateDir,
      onLine: (component, line) => {
        log.write(`[${component}] ${line}\n`);
        observe?.(component, line);
      },
    });
  } catch (error) {
    await cleanUp();
    throw error;
  }
  return {
    ...stack,
    logFile,
    async release() {
      await stack.stop();
      await cleanUp();
    },
  };
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
