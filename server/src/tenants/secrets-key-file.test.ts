import assert from 'node:assert/strict';
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { SecretCipherError, isSecretsKey } from './secret-cipher.js';
import { developmentSecretsKey } from './secrets-key-file.js';

const root = await mkdtemp(path.join(os.tmpdir(), 'parley-secrets-key-'));
after(() => rm(root, { recursive: true, force: true }));

test('in development, a key is generated once into the data directory (0600) and reused', async () => {
  const dataDir = path.join(root, 'once', 'data');
  const first = await developmentSecretsKey(dataDir);
  assert.equal(first.created, true);
  assert.equal(first.file, path.join(dataDir, 'secrets.key'));
  assert.ok(isSecretsKey(first.key));
  assert.equal((await readFile(first.file, 'utf8')).trim(), first.key);
  assert.equal((await stat(first.file)).mode & 0o777, 0o600);
  const again = await developmentSecretsKey(dataDir);
  assert.deepEqual(again, { ...first, created: false });
  assert.deepEqual(await readdir(dataDir), ['secrets.key'], 'no draft is left behind');
});

test('when two servers start at once, then both use the one key that was written', async () => {
  const dataDir = path.join(root, 'race');
  const keys = await Promise.all([1, 2, 3, 4].map(() => developmentSecretsKey(dataDir)));
  assert.equal(new Set(keys.map((k) => k.key)).size, 1);
  assert.equal(keys.filter((k) => k.created).length, 1);
  assert.deepEqual(await readdir(dataDir), ['secrets.key']);
});

test('a key file readable by others is made 0600 again; a damaged one stops start-up', async () => {
  const dataDir = path.join(root, 'loose');
  const { file, key } = await developmentSecretsKey(dataDir);
  await chmod(file, 0o644);
  assert.equal((await developmentSecretsKey(dataDir)).key, key);
  assert.equal((await stat(file)).mode & 0o777, 0o600);
  await writeFile(file, 'not a key\n');
  await assert.rejects(
    developmentSecretsKey(dataDir),
    (err: unknown) =>
      err instanceof SecretCipherError &&
      err.code === 'secret_key_invalid' &&
      err.message.includes(file),
  );
});
