import { chmod, link, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { SecretCipherError, generateSecretsKey, isSecretsKey } from './secret-cipher.js';

/** The development key, where `developmentSecretsKey` keeps it. */
export interface DevelopmentSecretsKey {
  key: string;
  file: string;
  /** Whether it was generated just now (else read back from `file`). */
  created: boolean;
}

/**
 * In development only: the secrets key kept in `<dataDir>/secrets.key` (mode 0600), generated on
 * first use and read back ever after, so stored secrets still open after a restart. Production
 * takes its key from `PARLEY_SECRETS_KEY` alone: a key beside the data it protects only keeps
 * the values out of a casual `grep`.
 */
export async function developmentSecretsKey(dataDir: string): Promise<DevelopmentSecretsKey> {
  const file = path.join(dataDir, 'secrets.key');
  await mkdir(dataDir, { recursive: true });
  const key = generateSecretsKey();
  // Written whole, then linked into place: of two servers starting at once, one places its key
  // and both use it; neither ever reads a half-written file.
  const draft = `${file}.${randomBytes(6).toString('hex')}.draft`;
  try {
    await writeFile(draft, `${key}\n`, { mode: 0o600 });
    await link(draft, file);
    return { key, file, created: true };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    await rm(draft, { force: true });
  }
  const stored = (await readFile(file, 'utf8')).trim();
  if (!isSecretsKey(stored)) {
    throw new SecretCipherError(
      'secret_key_invalid',
      `${file} does not hold a secrets key (32 bytes, base64 or base64url); set PARLEY_SECRETS_KEY or restore the file`,
    );
  }
  if (((await stat(file)).mode & 0o077) !== 0) await chmod(file, 0o600);
  return { key: stored, file, created: false };
}
