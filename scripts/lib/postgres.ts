/**
 * A throwaway PostgreSQL for tests: Debian's binaries, a fresh cluster in a temp dir, trust auth on a
 * free loopback port, gone again after `stop()`. PostgreSQL refuses to run as root, so as root every
 * server-side binary runs as the `postgres` system user (created by Debian's package).
 */
import { execFile as execFileCb, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './readiness.js';
import { SCRATCH_DIR } from './scratch.js';

const execFile = promisify(execFileCb);
const PG_ROOT = '/usr/lib/postgresql';
const SUPERUSER = 'postgres';

export interface ThrowawayPostgres {
  /** `postgresql://…` of the database created at start (`parley`). */
  url: string;
  port: number;
  /** PostgreSQL major version of the binaries in use. */
  version: number;
  /** Creates another empty database and answers its URL. */
  createDatabase(name: string): Promise<string>;
  /**
   * An outage, for fault injection: `down()` shuts the server down (fast) and keeps the cluster,
   * `up()` starts it again on the same port and data.
   */
  down(): Promise<void>;
  up(): Promise<void>;
  /** Fast shutdown and removal of the cluster; safe to call twice. */
  stop(): Promise<void>;
}

export class PostgresUnavailableError extends Error {
  override readonly name = 'PostgresUnavailableError';
}

/** The newest Debian PostgreSQL whose `bin/` holds initdb and postgres (`PG_BIN` overrides). */
export function findPostgresBin(): { bin: string; version: number } {
  const override = process.env.PG_BIN;
  if (override) return { bin: override, version: Number(/(\d+)/.exec(override)?.[1] ?? 0) };
  const versions = existsSync(PG_ROOT)
    ? readdirSync(PG_ROOT)
        .filter((v) => /^\d+$/.test(v) && existsSync(path.join(PG_ROOT, v, 'bin', 'initdb')))
        .map(Number)
        .sort((a, b) => b - a)
    : [];
  const version = versions[0];
  if (version === undefined) {
    throw new PostgresUnavailableError(
      `no PostgreSQL binaries under ${PG_ROOT}/*/bin: install them with 'apt-get install -y postgresql'`,
    );
  }
  return { bin: path.join(PG_ROOT, String(version), 'bin'), version };
}

/** Runs a command as `postgres` when we are root, as ourselves otherwise. */
function asServerUser(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0
    ? ['runuser', ['-u', SUPERUSER, '--', command, ...args]]
    : [command, args];
}

async function serverUserIds(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const [uid, gid] = await Promise.all(
      ['-u', '-g'].map(async (flag) => Number((await execFile('id', [flag, SUPERUSER])).stdout)),
    );
    return { uid: uid ?? NaN, gid: gid ?? NaN };
  } catch {
    throw new PostgresUnavailableError(
      `running as root needs the '${SUPERUSER}' system user (from Debian's postgresql package)`,
    );
  }
}

interface Running {
  child: ChildProcess;
  exited: Promise<void>;
}

/** Starts `postgres` and resolves once it accepts connections; rejects with its log otherwise. */
function startServer(bin: string, dir: string, port: number): Promise<Running> {
  const [command, args] = asServerUser(path.join(bin, 'postgres'), [
    '-D',
    path.join(dir, 'data'),
    '-p',
    String(port),
    '-k',
    dir,
    '-c',
    'listen_addresses=127.0.0.1',
    // Durability buys nothing for a cluster deleted after the run.
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'full_page_writes=off',
  ]);
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const log: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail('did not become ready within 30 s'), 30_000);
    const fail = (why: string): void => {
      clearTimeout(timer);
      signalGroup(child, 'SIGKILL');
      reject(new PostgresUnavailableError(`postgres ${why}:\n${log.join('')}`));
    };
    const onData = (chunk: Buffer): void => {
      log.push(chunk.toString());
      if (log.join('').includes('ready to accept connections')) {
        clearTimeout(timer);
        child.stdout?.removeAllListeners('data');
        child.stderr?.removeAllListeners('data');
        child.stdout?.resume();
        child.stderr?.resume();
        resolve({ child, exited });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (err) => fail(`could not be started: ${err.message}`));
    child.once('exit', (code) => fail(`exited with ${code}`));
  });
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

let current: Promise<ThrowawayPostgres> | undefined;

/**
 * Starts (once per process; later calls answer the same instance until it is stopped) a PostgreSQL
 * cluster owned by this process. Throws `PostgresUnavailableError` naming what is missing.
 */
export function startPostgres(): Promise<ThrowawayPostgres> {
  current ??= launch().catch((err: unknown) => {
    current = undefined;
    throw err;
  });
  return current;
}

async function launch(): Promise<ThrowawayPostgres> {
  const { bin, version } = findPostgresBin();
  const owner = await serverUserIds();
  const dir = await mkdtemp(path.join(SCRATCH_DIR, 'parley-pg-'));
  const cleanupOnExit = (): void => rmSync(dir, { recursive: true, force: true });
  try {
    if (owner) await chown(dir, owner.uid, owner.gid);
    const [initdb, initArgs] = asServerUser(path.join(bin, 'initdb'), [
      '-D',
      path.join(dir, 'data'),
      '-U',
      SUPERUSER,
      '--auth=trust',
      '--encoding=UTF8',
      '--locale=C',
      '--no-sync',
      '--no-instructions',
    ]);
    await execFile(initdb, initArgs).catch((err: Error & { stderr?: string }) => {
      throw new PostgresUnavailableError(`initdb failed: ${err.stderr ?? err.message}`);
    });
    let running: Running | undefined;
    let port = 0;
    // The free port can be taken between probing and binding; another try settles it.
    for (let attempt = 1; !running; attempt++) {
      port = await freePort();
      running = await startServer(bin, dir, port).catch((err: unknown) => {
        if (attempt >= 3) throw err;
        return undefined;
      });
    }
    let server: Running = running;
    const killOnExit = (): void => {
      signalGroup(server.child, 'SIGKILL');
      cleanupOnExit();
    };
    process.once('exit', killOnExit);
    const shutDown = async (): Promise<void> => {
      // SIGINT is PostgreSQL's "fast" shutdown: it does not wait for clients to disconnect.
      signalGroup(server.child, 'SIGINT');
      const timer = setTimeout(() => signalGroup(server.child, 'SIGKILL'), 10_000);
      await server.exited;
      clearTimeout(timer);
    };

    const createDatabase = async (name: string): Promise<string> => {
      if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`bad database name '${name}'`);
      const args = ['-h', '127.0.0.1', '-p', String(port), '-U', SUPERUSER, name];
      await execFile(path.join(bin, 'createdb'), args);
      return `postgresql://${SUPERUSER}@127.0.0.1:${port}/${name}`;
    };
    let stopping: Promise<void> | undefined;
    const stop = (): Promise<void> => {
      stopping ??= (async () => {
        current = undefined;
        process.removeListener('exit', killOnExit);
        await shutDown();
        await rm(dir, { recursive: true, force: true });
      })();
      return stopping;
    };
    const url = await createDatabase('parley').catch(async (err: unknown) => {
      await stop();
      throw err;
    });
    const up = async (): Promise<void> => {
      server = await startServer(bin, dir, port);
    };
    return { url, port, version, createDatabase, down: shutDown, up, stop };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

/** `pnpm exec tsx scripts/lib/postgres.ts`: start one, print its URL, stop on Ctrl-C. */
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const started = Date.now();
  const pg = await startPostgres();
  console.log(`PostgreSQL ${pg.version} ready in ${Date.now() - started} ms: ${pg.url}`);
  const stopAndExit = (): void => void pg.stop().then(() => process.exit(0));
  process.once('SIGINT', stopAndExit);
  process.once('SIGTERM', stopAndExit);
}
