import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openDatabase } from './database.js';
import { withinTransaction } from './within-transaction.js';
import { forEachBackend } from '../../test/test-backends.js';

forEachBackend((backend) => {
  test('when a transaction throws, then nothing it wrote stays and the error reaches the caller', async () => {
    const db = await openDatabase(await backend.fresh());
    try {
      await db.exec('CREATE TABLE scratch (n int PRIMARY KEY)');
      await assert.rejects(
        db.transaction(async (tx) => {
          await tx.query('INSERT INTO scratch (n) VALUES ($1)', [1]);
          throw new Error('changed my mind');
        }),
        /changed my mind/,
      );
      await db.transaction(async (tx) => {
        await tx.query('INSERT INTO scratch (n) VALUES ($1), ($2)', [2, 3]);
      });
      const rows = await db.query<{ n: number }>('SELECT n FROM scratch ORDER BY n');
      assert.deepEqual(
        rows.map((r) => r.n),
        [2, 3],
      );
      // The connection that rolled back is usable again (PostgreSQL hands it back to its pool).
      assert.deepEqual(await db.query('SELECT 1 AS one'), [{ one: 1 }]);
    } finally {
      await db.close();
    }
  });

  test('when a transaction begun inside another throws, then only its writes are undone', async () => {
    const db = await openDatabase({ ...(await backend.fresh()), migrate: false });
    try {
      await db.exec('CREATE TABLE scratch (n int PRIMARY KEY)');
      await db.transaction(async (tx) => {
        const within = withinTransaction(tx, db.kind);
        await within.query('INSERT INTO scratch (n) VALUES ($1)', [1]);
        await assert.rejects(
          within.transaction(async (inner) => {
            await inner.query('INSERT INTO scratch (n) VALUES ($1)', [2]);
            // A failed statement, as a repository's conflict would be: the savepoint undoes it.
            await inner.query('INSERT INTO scratch (n) VALUES ($1)', [1]);
          }),
          (err: { code?: string }) => err.code === '23505',
        );
        await within.transaction(async (inner) => {
          await inner.query('INSERT INTO scratch (n) VALUES ($1)', [3]);
        });
      });
      const rows = await db.query<{ n: number }>('SELECT n FROM scratch ORDER BY n');
      assert.deepEqual(
        rows.map((r) => r.n),
        [1, 3],
      );
    } finally {
      await db.close();
    }
  });

  test(`when opened, then it reports itself as ${backend.name === 'PGlite' ? 'pglite' : 'postgres'}`, async () => {
    const db = await openDatabase({ ...(await backend.fresh()), migrate: false });
    try {
      assert.equal(db.kind, backend.name === 'PGlite' ? 'pglite' : 'postgres');
    } finally {
      await db.close();
    }
  });
});

test('when neither a URL nor a data directory is given, then opening fails with a message', async () => {
  await assert.rejects(openDatabase({}), /needs a url/);
});

test('when the PostgreSQL URL cannot be reached, then opening fails instead of starting', async () => {
  await assert.rejects(openDatabase({ url: 'postgresql://nobody@127.0.0.1:1/none' }));
});
