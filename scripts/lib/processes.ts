import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

const COLORS = [36, 35, 33, 32, 34, 31];

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  /** Resolves with the exit code (or signal name) when the process ends. */
  exited: Promise<number | string>;
}

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Receives every output line; the default writes it prefixed with the process name. */
  onLine?: (line: string) => void;
}

let colorIndex = 0;

/** Prefixes every line with a coloured `[name]` so interleaved logs stay readable. */
export function linePrinter(name: string): (line: string) => void {
  const color = COLORS[colorIndex++ % COLORS.length] ?? 36;
  const tag = process.stdout.isTTY ? `\x1b[${color}m[${name}]\x1b[0m` : `[${name}]`;
  return (line) => process.stdout.write(`${tag} ${line}\n`);
}

/** Starts a child in its own process group, so stopping it also stops whatever it started. */
export function startProcess(
  name: string,
  command: string,
  args: string[],
  options: SpawnOptions = {},
): ManagedProcess {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const onLine = options.onLine ?? linePrinter(name);
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', onLine);
  }
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
    child.once('error', (err) => {
      onLine(`failed to start ${command}: ${err.message}`);
      resolve('spawn-error');
    });
  });
  return { name, child, exited };
}

/** SIGTERM to the whole group, SIGKILL after a grace period. */
export async function stopProcess(proc: ManagedProcess, graceMs = 5000): Promise<void> {
  const { child } = proc;
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-(child.pid as number), signal);
    } catch {
      // The group is already gone.
    }
  };
  signalGroup('SIGTERM');
  const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
  await proc.exited;
  clearTimeout(timer);
  signalGroup('SIGKILL');
}
