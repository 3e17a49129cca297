/**
 * Test support: the storage suites run once per backend — embedded PGlite and a real PostgreSQL
 * (the server named by `DATABASE_URL`, or a throwaway one started from Debian's binaries). Nothing
 * is skipped: without PostgreSQL the suite fails, naming what is missing.
 */
import { execFile as execFileCb } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { after, describe } from 'node:test';
import { promisify } from 'node:util';
import pg from 'pg';
import { startPostgres, type ThrowawayPostgres } from '../../scripts/lib/postgres.js';
import { SCRATCH_DIR } from '../../scripts/lib/scratch.js';
import { openDatabase } from '../src/storage/database.js';
import { loadMigrations } from '../src/storage/migrate.js';
import { Storage, type StorageOptions } from '../src/storage/storage.js';
import { SecretCipher, generateSecretsKey } from '../src/tenants/secret-cipher.js';

const execFile = promisify(execFileCb);

/** The key every test database seals its secrets with (one per test process). */
export const TEST_SECRETS_KEY = generateSecretsKey();
const secretCipher = new SecretCipher({ key: TEST_SECRETS_KEY });

export interface TestBackend {
  name: 'PGlite' | 'PostgreSQL';
  /**
   * A new database of its own: empty, or (default) already migrated, which for PGlite saves its
   * multi-second initdb. Open it as often as a test needs; it is removed after the file's tests.
   */
  fresh(state?: 'empty' | 'migrated'): Promise<StorageOptions>;
}

const cleanups: (() => Promise<void>)[] = [];
async function cleanUp(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}
// After the file's tests; `forEachBackend` also cleans up after each backend's group, so files that
// share a process (the unit run) each leave nothing behind.
after(cleanUp);

/**
 * Data directories not removed yet. A file whose tests share a process with others (the unit run)
 * may open databases after the hooks that clean up have run: what is left goes when the process
 * exits, so nothing stays in the (RAM-backed) scratch dir.
 */
const scratchDirs = new Set<string>();
process.once('exit', () => {
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
});

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(SCRATCH_DIR, prefix));
  scratchDirs.add(dir);
  cleanups.push(async () => {
    await rm(dir, { recursive: true, force: true });
    scratchDirs.delete(dir);
  });
  return dir;
}

/** Templates are only valid for the PGlite build that wrote them. */
const PGLITE_VERSION = (
  JSON.parse(
    readFileSync(
      path.join(
        path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite')),
        '..',
        'package.json',
      ),
      'utf8',
    ),
  ) as { version: string }
).version;
const TEMPLATE_ROOT = path.join(SCRATCH_DIR, 'parley-pglite-templates');

/**
 * The test databases' buffer pool. PGlite sets its pool up in WebAssembly memory at every open
 * (the server's default, 32 MB, is sized for a deployment): with 8 MB an open costs about 0.31
 * CPU-s instead of 0.40, and the unit run opens PGlite some fifty times. A test
 * database holds a few hundred rows.
 */
const PGLITE_SHARED_BUFFERS = '8MB';
const templates = new Map<string, Promise<string>>();
/** A template of other migrations older than this is no run's any more (a full run takes ~30 min). */
const STALE_TEMPLATE_MS = 6 * 3600_000;

/**
 * A PGlite data directory to copy from — just initialised, or migrated — shared by test processes
 * through the temp dir. Keyed by the PGlite version and the migrations' checksums, so a changed
 * migration never reuses a stale template.
 */
function pgliteTemplate(state: 'empty' | 'migrated'): Promise<string> {
  let building = templates.get(state);
  if (!building) {
    building = buildTemplate(state);
    templates.set(state, building);
  }
  return building;
}

async function buildTemplate(state: 'empty' | 'migrated'): Promise<string> {
  const migrations = state === 'empty' ? [] : await loadMigrations();
  // One digest of every migration's id and checksum: a name per migration outgrows a file name.
  const digest = createHash('sha256')
    .update(migrations.map((m) => `${m.id}:${m.checksum}`).join('\n'))
    .digest('hex')
    .slice(0, 16);
  const key = `pglite-${PGLITE_VERSION}_${state}_${digest}`;
  const dir = path.join(TEMPLATE_ROOT, key);
  await mkdir(TEMPLATE_ROOT, { recursive: true });
  if ((await readdir(TEMPLATE_ROOT)).includes(key)) return dir;
  const scratch = path.join(TEMPLATE_ROOT, `.building-${process.pid}-${Date.now()}`);
  await (await openDatabase({ dataDir: scratch, migrate: state === 'migrated' })).close();
  try {
    await rename(scratch, dir);
  } catch (err) {
    // Another test process published the same template first; theirs is as good as ours.
    await rm(scratch, { recursive: true, force: true });
    if (!(await readdir(TEMPLATE_ROOT)).includes(key)) throw err;
  }
  // Templates of other migration sets go once nobody has made one for a while: a run from
  // another checkout (another branch's migrations) may still be copying from its own.
  for (const old of await readdir(TEMPLATE_ROOT)) {
    if (old === key || !(old.endsWith(`_${state}`) || old.includes(`_${state}_`))) continue;
    const made = await stat(path.join(TEMPLATE_ROOT, old)).catch(() => undefined);
    if (made && Date.now() - made.mtimeMs > STALE_TEMPLATE_MS) {
      await rm(path.join(TEMPLATE_ROOT, old), { recursive: true, force: true });
    }
  }
  return dir;
}

export const pglite: TestBackend = {
  name: 'PGlite',
  async fresh(state = 'migrated') {
    const dataDir = path.join(await tempDir('parley-pglite-'), 'db');
    // coreutils' cp copies PGlite's ~1000 small files several times faster than fs.cp.
    await execFile('cp', ['-a', await pgliteTemplate(state), dataDir]);
    return { dataDir, pgliteSharedBuffers: PGLITE_SHARED_BUFFERS, secretCipher };
  },
};

let server: Promise<{ createDatabase(name: string): Promise<string> }> | undefined;

/** `DATABASE_URL` when set (its user needs CREATEDB), else a throwaway cluster for this file. */
function postgresServer(): Promise<{ createDatabase(name: string): Promise<string> }> {
  server ??= (async () => {
    const adminUrl = process.env.DATABASE_URL;
    if (adminUrl) {
      const admin = new pg.Pool({ connectionString: adminUrl, max: 1 });
      cleanups.push(() => {
        server = undefined;
        return admin.end();
      });
      return {
        async createDatabase(name: string) {
          await admin.query(`CREATE DATABASE ${name}`);
          cleanups.push(async () => {
            await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
          });
          const url = new URL(adminUrl);
          url.pathname = `/${name}`;
          return url.toString();
        },
      };
    }
    const started: ThrowawayPostgres = await startPostgres();
    cleanups.unshift(() => {
      server = undefined;
      return started.stop();
    });
    return started;
  })();
  return server;
}

export const postgres: TestBackend = {
  name: 'PostgreSQL',
  async fresh(state = 'migrated') {
    const name = `parley_test_${randomBytes(6).toString('hex')}`;
    const url = await (await postgresServer()).createDatabase(name);
    if (state === 'migrated') await (await openDatabase({ url })).close();
    return { url, secretCipher };
  },
};

/** Defines the same tests once per backend, each group under `on PGlite` / `on PostgreSQL`. */
export function forEachBackend(define: (backend: TestBackend) => void): void {
  for (const backend of [pglite, postgres]) {
    describe(`on ${backend.name}`, () => {
      define(backend);
      after(cleanUp);
    });
  }
}

/** Opens a fresh migrated database, closed again after the file's tests. */
export async function openFresh(backend: TestBackend): Promise<Storage> {
  const storage = await Storage.open(await backend.fresh());
  cleanups.push(() => storage.close());
  return storage;
}

/**
 * One fresh migrated database opened by two server replicas, as `main.ts` opens it: two
 * connection pools on PostgreSQL. PGlite can be opened by one process only, so both replicas
 * share its one handle there.
 */
export async function openReplicas(backend: TestBackend): Promise<[Storage, Storage]> {
  const options = await backend.fresh();
  const first = await Storage.open(options);
  cleanups.push(() => first.close());
  if (backend.name === 'PGlite') return [first, first];
  const second = await Storage.open(options);
  cleanups.push(() => second.close());
  return [first, second];
}

/** A tenant of its own, so tests sharing a database cannot see each other's rows. */
export async function newTenant(storage: Storage, label = 'test'): Promise<string> {
  const slug = `${label}-${randomBytes(4).toString('hex')}`;
  return (await storage.tenants.create({ slug, name: slug })).id;
}
