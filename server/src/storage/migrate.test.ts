import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openDatabase } from './database.js';
import { MigrationError, loadMigrations, migrate, type Migration } from './migrate.js';
import { Storage } from './storage.js';
import { forEachBackend } from '../../test/test-backends.js';

const TABLES = [
  'tenants',
  'api_keys',
  'personas',
  'persona_versions',
  'phone_numbers',
  'calls',
  'turns',
  'tool_calls',
  'consent_receipts',
  'leads',
  'appointments',
  'webhook_endpoints',
  'webhook_deliveries',
  'secrets',
  'session_consents',
  'call_events',
];

test('migration files are numbered in order and none is numbered twice', async () => {
  const migrations = await loadMigrations();
  assert.ok(migrations.length > 0);
  assert.deepEqual(
    migrations.map((m) => m.id),
    migrations.map((m) => m.id).sort(),
  );
  assert.equal(migrations[0]?.id, '0001-initial');
});

forEachBackend((backend) => {
  test('when an empty database is opened, then every migration is applied and recorded once', async () => {
    const options = await backend.fresh('empty');
    const db = await openDatabase({ ...options, migrate: false });
    try {
      const first = await migrate(db);
      const all = (await loadMigrations()).map((m) => m.id);
      assert.deepEqual(first.applied, all);
      const tables = await db.query<{ name: string }>(
        `SELECT table_name AS name FROM information_schema.tables
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
      );
      for (const table of TABLES) {
        assert.ok(
          tables.some((t) => t.name === table),
          `table ${table} exists`,
        );
      }
      assert.deepEqual((await migrate(db)).applied, [], 'a second run in place applies nothing');
    } finally {
      await db.close();
    }
  });

  test('when the database is closed and reopened, then no migration runs again and data stays', async () => {
    const options = await backend.fresh('empty');
    const first = await Storage.open(options);
    await first.tenants.create({ slug: 'kept', name: 'Kept' });
    await first.close();

    const second = await Storage.open(options);
    try {
      const rows = await second.db.query<{ id: string; n: number }>(
        'SELECT id, count(*)::int AS n FROM schema_migrations GROUP BY id',
      );
      assert.deepEqual(
        rows.map((r) => r.n),
        rows.map(() => 1),
      );
      assert.equal(rows.length, (await loadMigrations()).length);
      assert.equal((await second.tenants.getBySlug('kept'))?.name, 'Kept');
    } finally {
      await second.close();
    }
  });

  test('when an applied migration was edited afterwards, then opening fails and says so', async () => {
    const options = await backend.fresh('empty');
    const db = await openDatabase({ ...options, migrate: false });
    try {
      const original: Migration = {
        id: '0001-probe',
        sql: 'CREATE TABLE probe (x int)',
        checksum: 'a',
      };
      await migrate(db, [original]);
      await assert.rejects(migrate(db, [{ ...original, checksum: 'b' }]), MigrationError);
    } finally {
      await db.close();
    }
  });

  test('when a migration fails, then none of its statements stay and it is not recorded', async () => {
    const options = await backend.fresh('empty');
    const db = await openDatabase({ ...options, migrate: false });
    try {
      const broken: Migration = {
        id: '0001-broken',
        sql: 'CREATE TABLE half (x int); SELECT no_such_function();',
        checksum: 'c',
      };
      await assert.rejects(migrate(db, [broken]));
      const [half] = await db.query<{ t: string | null }>("SELECT to_regclass('half')::text AS t");
      assert.equal(half?.t, null);
      const fixed = { ...broken, sql: 'CREATE TABLE half (x int)', checksum: 'd' };
      assert.deepEqual((await migrate(db, [fixed])).applied, ['0001-broken']);
    } finally {
      await db.close();
    }
  });

  if (backend.name === 'PostgreSQL') {
    test('when several servers start at once, then each migration is applied exactly once', async () => {
      const options = await backend.fresh('empty');
      const opened = await Promise.all([1, 2, 3, 4].map(() => Storage.open(options)));
      try {
        const [first] = opened;
        assert.ok(first);
        const rows = await first.db.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM schema_migrations',
        );
        assert.equal(rows[0]?.n, (await loadMigrations()).length);
      } finally {
        await Promise.all(opened.map((s) => s.close()));
      }
    });
  }
});
