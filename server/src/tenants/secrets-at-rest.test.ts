/**
 * Secrets at rest, on both databases: what is stored is sealed, old plain rows are sealed when the
 * database is opened, keys rotate, and a sealed value opens only in its own row with its own key.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { openDatabase } from '../storage/database.js';
import { loadMigrations, migrate } from '../storage/migrate.js';
import { Storage, type StorageOptions } from '../storage/storage.js';
import { SecretCipher, SecretCipherError, generateSecretsKey } from './secret-cipher.js';
import { forEachBackend, newTenant, type TestBackend } from '../../test/test-backends.js';

const unique = (label: string) => `${label}-${randomBytes(12).toString('hex')}`;
const cipherError = (code: SecretCipherError['code']) => (err: unknown) =>
  err instanceof SecretCipherError && err.code === code;

/** Every file under `dir`, except the directories `skip` names (absolute paths). */
async function filesUnder(dir: string, skip: ReadonlySet<string> = new Set()): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (skip.has(full)) continue;
    if (entry.isDirectory()) files.push(...(await filesUnder(full, skip)));
    else if (entry.isFile()) files.push(full);
  }
  return files;
}

/** Which of `needles` occur, byte for byte (UTF-8), in some file of `files`. */
async function foundIn(files: readonly string[], needles: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (const file of files) {
    const bytes = await readFile(file).catch(() => undefined); // a file removed meanwhile
    if (!bytes) continue;
    for (const needle of needles) if (bytes.includes(needle)) found.add(needle);
  }
  return found;
}

forEachBackend((backend) => {
  /** Opens `options` with `cipher`, runs `fn`, and closes it again. */
  async function using<T>(
    options: StorageOptions,
    cipher: SecretCipher,
    fn: (storage: Storage) => Promise<T>,
  ): Promise<T> {
    const storage = await Storage.open({ ...options, secretCipher: cipher });
    try {
      return await fn(storage);
    } finally {
      await storage.close();
    }
  }

  test('when secrets are stored, then no value is in any file of the database, only sealed', async (t) => {
    const options = await backend.fresh();
    const cipher = options.secretCipher;
    const visible = unique('visible-tenant-name');
    const values = {
      secret: unique('crm-token'),
      replaced: unique('replaced-token'),
      endpoint: unique('endpoint-signing-secret'),
    };
    let generated = '';
    const storage = await Storage.open(options);
    const tenantId = (await storage.tenants.create({ slug: unique('rest'), name: visible })).id;
    const tenant = storage.forTenant(tenantId);
    await tenant.secrets.put('CRM_TOKEN', values.replaced);
    await tenant.secrets.put('CRM_TOKEN', values.secret);
    generated = await tenant.secrets.revealOrCreate('TOOL_SIGNING_KEY');
    const endpoint = await tenant.webhooks.createEndpoint({
      url: 'https://example.com/hook',
      events: ['call.ended'],
      secret: values.endpoint,
    });
    const generatedEndpoint = await tenant.webhooks.createEndpoint({
      url: 'https://example.com/other',
      events: ['call.ended'],
    });
    assert.equal(await tenant.secrets.reveal('CRM_TOKEN'), values.secret);
    assert.equal(endpoint.secret, values.endpoint);
    const plain = [...Object.values(values), generated, generatedEndpoint.secret];

    // What the columns hold: sealed values that open with the key, and nothing plain.
    const stored = [
      ...(await storage.db.query<{ v: string }>(
        'SELECT value AS v FROM secrets WHERE tenant_id = $1',
        [tenantId],
      )),
      ...(await storage.db.query<{ v: string }>(
        'SELECT secret AS v FROM webhook_endpoints WHERE tenant_id = $1',
        [tenantId],
      )),
    ].map((r) => r.v);
    assert.equal(stored.length, 4);
    for (const value of stored) {
      assert.ok(SecretCipher.isSealed(value) && cipher.isCurrent(value), value);
      assert.ok(!plain.some((p) => value.includes(p)));
    }
    assert.equal(
      cipher.open(stored[0] ?? '', ['secrets', tenantId, 'CRM_TOKEN']),
      values.secret,
      'opens with the configured key',
    );

    // What the files hold. The tenant's name is stored plain: finding it proves the search sees
    // the rows it searches for values.
    let files: string[];
    if (backend.name === 'PGlite') {
      // PGlite keeps pages in memory until it is closed.
      await storage.close();
      files = await filesUnder(options.dataDir ?? '');
    } else {
      const [{ dir } = { dir: '' }] = await storage.db.query<{ dir: string }>(
        "SELECT current_setting('data_directory') AS dir",
      );
      const others = await storage.db.query<{ oid: number }>(
        'SELECT oid FROM pg_database WHERE datname <> current_database()',
      );
      await storage.db.exec('CHECKPOINT');
      await storage.close();
      if (!existsSync(dir)) {
        t.diagnostic(
          `PostgreSQL's data directory ${dir} is not on this host: columns checked only`,
        );
        return;
      }
      // The cluster is shared by every test database: search this one's tables and the WAL.
      files = await filesUnder(
        dir,
        new Set(others.map((o) => path.join(dir, 'base', String(o.oid)))),
      );
    }
    const found = await foundIn(files, [visible, ...plain]);
    assert.ok(found.has(visible), `the search found the tenant's name in ${files.length} files`);
    assert.deepEqual(
      plain.filter((p) => found.has(p)),
      [],
      'no secret value is in a file of the database',
    );
  });

  test('when a database holds plain secrets from before sealing, then opening it seals them', async () => {
    const options = await backend.fresh('empty');
    const before = (await loadMigrations()).filter((m) => m.id < '0009');
    const legacy = await openDatabase({ ...options, migrate: false });
    await migrate(legacy, before);
    await legacy.query(`INSERT INTO tenants (id, slug, name) VALUES ('ten_old', 'old', 'Old')`);
    await legacy.query(
      `INSERT INTO secrets (tenant_id, name, value) VALUES ('ten_old', 'CRM_TOKEN', 'plain-crm'),
         ('ten_old', 'SIP_OUTBOUND_CARRIER', 'plain-trunk-password')`,
    );
    await legacy.query(
      `INSERT INTO webhook_endpoints (id, tenant_id, url, secret, events)
       VALUES ('whe_old', 'ten_old', 'https://example.com/hook', 'plain-endpoint-secret', '{call.ended}')`,
    );
    await legacy.close();

    await using(options, options.secretCipher, async (storage) => {
      assert.deepEqual(storage.resealed, { secrets: 2, webhookEndpoints: 1 });
      const rows = await storage.db.query<{ value: string }>(
        `SELECT value FROM secrets UNION ALL SELECT secret FROM webhook_endpoints`,
      );
      assert.equal(rows.length, 3);
      for (const { value } of rows) assert.ok(storage.secretCipher.isCurrent(value), value);
      const tenant = storage.forTenant('ten_old');
      assert.equal(await tenant.secrets.reveal('CRM_TOKEN'), 'plain-crm');
      assert.equal(await tenant.secrets.reveal('SIP_OUTBOUND_CARRIER'), 'plain-trunk-password');
      const [endpoint] = await tenant.webhooks.listEndpoints();
      assert.equal(endpoint?.secret, 'plain-endpoint-secret');
      // From now on the database itself refuses a plain value.
      await assert.rejects(
        storage.db.query(`UPDATE secrets SET value = 'plain-again' WHERE name = 'CRM_TOKEN'`),
        /secrets_value_sealed/,
      );
      await assert.rejects(
        storage.db.query(`UPDATE webhook_endpoints SET secret = 'plain-again-secret'`),
        /webhook_endpoints_secret_sealed/,
      );
    });
    await using(options, options.secretCipher, async (storage) => {
      assert.deepEqual(storage.resealed, { secrets: 0, webhookEndpoints: 0 }, 'once is enough');
    });
  });

  test('when the key is rotated, then everything is sealed again and the old key can go', async () => {
    const options = await backend.fresh();
    const oldKey = generateSecretsKey();
    const newKey = generateSecretsKey();
    const oldCipher = new SecretCipher({ key: oldKey });
    const rotating = new SecretCipher({ key: newKey, oldKeys: [oldKey] });
    const newCipher = new SecretCipher({ key: newKey });

    const { tenantId, endpointId } = await using(options, oldCipher, async (storage) => {
      const tenant = storage.forTenant(await newTenant(storage));
      await tenant.secrets.put('CRM_TOKEN', 'tok-1');
      await tenant.secrets.put('ORDERS_KEY', 'tok-2');
      const endpoint = await tenant.webhooks.createEndpoint({
        url: 'https://example.com/hook',
        events: ['call.ended'],
        secret: 'endpoint-secret-16',
      });
      return { tenantId: tenant.tenantId, endpointId: endpoint.id };
    });

    // Before the rotation, the new key alone cannot open what the old one sealed: start-up stops.
    await assert.rejects(
      Storage.open({ ...options, secretCipher: newCipher }),
      (err: unknown) => cipherError('secret_key_unknown')(err) && /CRM_TOKEN/.test(String(err)),
    );

    await using(options, rotating, async (storage) => {
      assert.deepEqual(storage.resealed, { secrets: 2, webhookEndpoints: 1 });
      const tenant = storage.forTenant(tenantId);
      assert.equal(await tenant.secrets.reveal('CRM_TOKEN'), 'tok-1');
    });
    await using(options, newCipher, async (storage) => {
      assert.deepEqual(storage.resealed, { secrets: 0, webhookEndpoints: 0 });
      const tenant = storage.forTenant(tenantId);
      assert.equal(await tenant.secrets.reveal('CRM_TOKEN'), 'tok-1');
      assert.equal(await tenant.secrets.reveal('ORDERS_KEY'), 'tok-2');
      const [endpoint] = await tenant.webhooks.listEndpoints();
      assert.deepEqual([endpoint?.id, endpoint?.secret], [endpointId, 'endpoint-secret-16']);
    });
    // Everything is under the new key now: the old key alone opens nothing.
    await assert.rejects(
      Storage.open({ ...options, secretCipher: oldCipher }),
      cipherError('secret_key_unknown'),
    );
    // A failed open leaves the database closed: it opens again (PGlite allows one handle).
    await using(options, newCipher, async (storage) => {
      assert.equal(await storage.forTenant(tenantId).secrets.reveal('CRM_TOKEN'), 'tok-1');
    });
  });

  test('when a sealed value is copied to another row or altered, then it does not open', async () => {
    await bound(backend);
  });
});

async function bound(backend: TestBackend): Promise<void> {
  const options = await backend.fresh();
  const storage = await Storage.open(options);
  try {
    const a = storage.forTenant(await newTenant(storage, 'a'));
    const b = storage.forTenant(await newTenant(storage, 'b'));
    await a.secrets.put('CRM_TOKEN', 'tenant-a-token');
    await a.secrets.put('OTHER', 'tenant-a-other');
    await b.secrets.put('CRM_TOKEN', 'tenant-b-token');
    const copy = (from: { tenant: string; name: string }, to: { tenant: string; name: string }) =>
      storage.db.query(
        `UPDATE secrets SET value = (SELECT value FROM secrets WHERE tenant_id = $1 AND name = $2)
         WHERE tenant_id = $3 AND name = $4`,
        [from.tenant, from.name, to.tenant, to.name],
      );
    await copy(
      { tenant: a.tenantId, name: 'CRM_TOKEN' },
      { tenant: b.tenantId, name: 'CRM_TOKEN' },
    );
    await assert.rejects(b.secrets.reveal('CRM_TOKEN'), cipherError('secret_unreadable'));
    await copy({ tenant: a.tenantId, name: 'CRM_TOKEN' }, { tenant: a.tenantId, name: 'OTHER' });
    await assert.rejects(a.secrets.reveal('OTHER'), cipherError('secret_unreadable'));
    assert.equal(await a.secrets.reveal('CRM_TOKEN'), 'tenant-a-token', 'the original still opens');

    // One character of the ciphertext changed.
    await storage.db.query(
      `UPDATE secrets SET value = overlay(value placing
         CASE WHEN substr(value, length(value) - 5, 1) = 'A' THEN 'B' ELSE 'A' END
         from length(value) - 5 for 1)
       WHERE tenant_id = $1 AND name = 'CRM_TOKEN'`,
      [a.tenantId],
    );
    await assert.rejects(a.secrets.reveal('CRM_TOKEN'), cipherError('secret_unreadable'));

    // Webhook endpoints: a secret copied to another endpoint neither lists nor signs.
    const good = await a.webhooks.createEndpoint({
      url: 'https://example.com/good',
      events: ['call.ended'],
      secret: 'good-endpoint-secret',
    });
    const moved = await a.webhooks.createEndpoint({
      url: 'https://example.com/moved',
      events: ['call.ended'],
      secret: 'moved-endpoint-secret',
    });
    await storage.db.query(
      `UPDATE webhook_endpoints SET secret = (SELECT secret FROM webhook_endpoints WHERE id = $1)
       WHERE id = $2`,
      [good.id, moved.id],
    );
    await assert.rejects(a.webhooks.listEndpoints(), cipherError('secret_unreadable'));
    await a.webhooks.enqueue({ id: 'evt_bound', type: 'call.ended', payload: {} });
    const due = (await storage.webhookQueue.claimDue(100)).filter((d) => d.tenantId === a.tenantId);
    assert.deepEqual(
      due.map((d) => [d.endpointId, d.secret]),
      [[good.id, 'good-endpoint-secret']],
      'the delivery whose secret does not open is not handed out to be sent',
    );
    const [failed] = await a.webhooks.listDeliveries({ endpointId: moved.id });
    assert.equal(failed?.attempts, 1);
    assert.match(failed?.lastError ?? '', /signing secret/);
  } finally {
    await storage.close();
  }
}
