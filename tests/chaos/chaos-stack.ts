import path from 'node:path';
import type { Stack, StackOptions } from '../../scripts/lib/stack.js';
import { TEST_PORTS, shiftPorts, type StackPorts } from '../../scripts/lib/stack-config.js';
import { startLoggedStack, type TestStack } from '../support/stack-env.js';

export const CHAOS_ARTIFACTS = path.resolve(import.meta.dirname, '../artifacts/chaos');

/**
 * Every chaos suite runs its own stack, on `TEST_PORTS` moved by this plus 10 per suite: clear
 * of the test command's stack at the same `PARLEY_TEST_PORT_OFFSET`, and of each other. (Shifts
 * of 200 would put one stack's agent health port on another's LiveKit TCP port.)
 */
const CHAOS_PORT_SHIFT = 50;
const PORTS_PER_SUITE = 10;

export function chaosPorts(slot: number): StackPorts {
  return shiftPorts(TEST_PORTS, CHAOS_PORT_SHIFT + PORTS_PER_SUITE * slot);
}

/** One line a component logged, and when this process saw it. */
export interface LoggedLine {
  component: string;
  line: string;
  at: number;
}

/** A suite's own stack: what the shared helpers take, plus fault injection and its logs. */
export interface ChaosStack extends TestStack {
  stack: Stack;
  /** `tests/artifacts/chaos/<name>.log`: every component's output, prefixed with its name. */
  logFile: string;
  /**
   * The next line of `component` matching `pattern` logged from now on; rejects after
   * `timeoutMs`, naming what it waited for.
   */
  nextLine(component: string, pattern: RegExp, timeoutMs: number): Promise<LoggedLine>;
  /** Lines of `component` logged so far that match `pattern`. */
  linesOf(component: string, pattern: RegExp): LoggedLine[];
}

export type ChaosStackOptions = Pick<StackOptions, 'agentEnv' | 'serverEnv' | 'environment'>;

interface Watcher {
  component: string;
  pattern: RegExp;
  found(line: LoggedLine): void;
}

/**
 * Starts Redis, livekit-server, the server and the agent for the suite `name` on the ports of
 * `slot`, logging to `tests/artifacts/chaos/<name>.log`. `release()` stops it all.
 */
export async function startChaosStack(
  name: string,
  slot: number,
  options: ChaosStackOptions = {},
): Promise<ChaosStack> {
  const lines: LoggedLine[] = [];
  const watchers = new Set<Watcher>();
  const observe = (component: string, line: string): void => {
    const logged = { component, line, at: performance.now() };
    lines.push(logged);
    for (const watcher of watchers) {
      if (watcher.component === component && watcher.pattern.test(line)) {
        watchers.delete(watcher);
        watcher.found(logged);
      }
    }
  };
  const stack = await startLoggedStack(`chaos-${name}`, path.join(CHAOS_ARTIFACTS, `${name}.log`), {
    ports: chaosPorts(slot),
    observe,
    ...options,
  });
  return {
    stack,
    url: stack.url,
    livekitUrl: stack.livekitUrl,
    secrets: stack.secrets,
    spoolDir: stack.spoolDir,
    sipAddress: stack.sipAddress,
    logFile: stack.logFile,
    nextLine(component, pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          watchers.delete(watcher);
          reject(new Error(`no ${component} line matching ${pattern} within ${timeoutMs} ms`));
        }, timeoutMs);
        const watcher: Watcher = {
          component,
          pattern,
          found: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        };
        watchers.add(watcher);
      });
    },
    linesOf: (component, pattern) =>
      lines.filter((l) => l.component === component && pattern.test(l.line)),
    release: () => stack.release(),
  };
}
