import { SecretCipherError, type SecretCipher } from './secret-cipher.js';

/** A stored value not sealed with the current key, and the row it is bound to. */
export interface StaleSecret {
  /** Names the row in messages, e.g. `secret ten_…/CRM_TOKEN`; never the value. */
  label: string;
  /** What the sealed value is bound to (the cipher's `row`). */
  row: readonly string[];
  /** The row's primary key, as the statement writing it back takes it. */
  where: readonly unknown[];
  stored: string;
}

/**
 * Seals every value in `stale` with the current key (opening old keys' values first) and writes
 * it back with `write`, which must not overwrite a value changed meanwhile (another replica doing
 * the same, a new value being stored). Answers how many were written. What cannot be opened is
 * left as it is and reported in one {@link SecretCipherError} after the others are done.
 */
export async function resealAll(
  cipher: SecretCipher,
  stale: readonly StaleSecret[],
  write: (secret: StaleSecret, sealed: string) => Promise<boolean>,
): Promise<number> {
  let written = 0;
  const failed: { label: string; error: SecretCipherError }[] = [];
  for (const secret of stale) {
    let sealed: string;
    try {
      sealed = cipher.reseal(secret.stored, secret.row);
    } catch (err) {
      if (!(err instanceof SecretCipherError)) throw err;
      failed.push({ label: secret.label, error: err });
      continue;
    }
    if (await write(secret, sealed)) written++;
  }
  const [first] = failed;
  if (first) {
    const unknownKey = failed.some((f) => f.error.code === 'secret_key_unknown');
    throw new SecretCipherError(
      unknownKey ? 'secret_key_unknown' : 'secret_unreadable',
      `${failed.length} stored secret(s) cannot be opened with the configured keys (${failed
        .map((f) => f.label)
        .join(', ')}): ${first.error.message}`,
    );
  }
  return written;
}
