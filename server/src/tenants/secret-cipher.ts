import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Secrets at rest: tenant secrets and webhook signing keys are stored sealed with AES-256-GCM as
 * `parley-sealed:v1:<key id>:<nonce>:<ciphertext and tag>` (nonce and ciphertext base64url). The
 * key id says which configured key sealed the value, so a rotated-out key can still open what it
 * sealed; the additional data binds the value to its row (table, tenant, name), so a sealed value
 * copied to another row does not open.
 */
const VERSION = 'parley-sealed:v1';
const SEALED = /^parley-sealed:v1:([0-9a-f]{8}):([A-Za-z0-9_-]{16}):([A-Za-z0-9_-]{22,})$/;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** 32 bytes in base64 (44 characters with its `=`) or base64url (43). */
const KEY_TEXT = /^[A-Za-z0-9+/_-]{43}=?$/;

/** What the cipher refuses, by a stable code. Messages never quote a value or a key. */
export type SecretCipherErrorCode =
  /** A configured key is not 32 bytes in base64 or base64url. */
  | 'secret_key_invalid'
  /** The value was sealed with a key that is not configured (any more). */
  | 'secret_key_unknown'
  /** The value does not open with its key: altered, moved to another row, or not sealed at all. */
  | 'secret_unreadable';

export class SecretCipherError extends Error {
  override readonly name = 'SecretCipherError';

  constructor(
    readonly code: SecretCipherErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Whether `text` is a key the cipher accepts: 32 bytes, base64 or base64url. */
export function isSecretsKey(text: string): boolean {
  return KEY_TEXT.test(text) && Buffer.from(text, 'base64').length === 32;
}

/** A new random key in the form `PARLEY_SECRETS_KEY` takes. */
export function generateSecretsKey(): string {
  return randomBytes(32).toString('base64url');
}

interface Key {
  id: string;
  aes: Buffer;
}

/** Subkeys for one purpose each, derived from the configured key (HKDF-SHA256). */
function deriveKey(text: string): Key {
  if (!isSecretsKey(text)) {
    throw new SecretCipherError(
      'secret_key_invalid',
      'a secrets key must be 32 random bytes in base64 or base64url (openssl rand -base64 32)',
    );
  }
  const material = Buffer.from(text, 'base64');
  const derive = (info: string, length: number) =>
    Buffer.from(hkdfSync('sha256', material, Buffer.alloc(0), info, length));
  return {
    id: derive('parley secrets v1 key id', 4).toString('hex'),
    aes: derive('parley secrets v1 aes-256-gcm', 32),
  };
}

/** The sealed value's header and the row it belongs to, authenticated with the ciphertext. */
function additionalData(keyId: string, row: readonly string[]): Buffer {
  return Buffer.from(JSON.stringify([VERSION, keyId, ...row]));
}

export interface SecretCipherOptions {
  /** `PARLEY_SECRETS_KEY`: seals every value, and opens what it sealed. */
  key: string;
  /** `PARLEY_SECRETS_OLD_KEYS`: open what they sealed, until everything is sealed again. */
  oldKeys?: readonly string[];
}

/**
 * Seals and opens stored secrets. `row` names where a value is stored, e.g.
 * `['secrets', tenantId, name]`: opening it under any other row fails.
 */
export class SecretCipher {
  private readonly current: Key;
  private readonly keys = new Map<string, Key>();

  constructor(options: SecretCipherOptions) {
    this.current = deriveKey(options.key);
    for (const key of [this.current, ...(options.oldKeys ?? []).map(deriveKey)]) {
      const known = this.keys.get(key.id);
      if (known && !known.aes.equals(key.aes)) {
        throw new SecretCipherError('secret_key_invalid', `two secrets keys share id ${key.id}`);
      }
      this.keys.set(key.id, key);
    }
  }

  /** The id stored with every value the current key seals. */
  get keyId(): string {
    return this.current.id;
  }

  seal(plain: string, row: readonly string[]): string {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.aes, nonce);
    cipher.setAAD(additionalData(this.current.id, row));
    const sealed = Buffer.concat([
      cipher.update(plain, 'utf8'),
      cipher.final(),
      cipher.getAuthTag(),
    ]);
    return [
      VERSION,
      this.current.id,
      nonce.toString('base64url'),
      sealed.toString('base64url'),
    ].join(':');
  }

  /** The plain value; throws {@link SecretCipherError} when it cannot be, never anything of it. */
  open(stored: string, row: readonly string[]): string {
    const match = SEALED.exec(stored);
    if (!match) throw new SecretCipherError('secret_unreadable', 'the stored value is not sealed');
    const [, keyId = '', nonce = '', data = ''] = match;
    const key = this.keys.get(keyId);
    if (!key) {
      throw new SecretCipherError(
        'secret_key_unknown',
        `the stored value was sealed with key ${keyId}, which neither PARLEY_SECRETS_KEY nor PARLEY_SECRETS_OLD_KEYS holds`,
      );
    }
    const sealed = Buffer.from(data, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key.aes, Buffer.from(nonce, 'base64url'));
    decipher.setAAD(additionalData(keyId, row));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    try {
      return Buffer.concat([
        decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      // GCM says only that authentication failed; which of the reasons, it cannot tell.
      throw new SecretCipherError(
        'secret_unreadable',
        'the stored value does not open: altered, moved from another row, or sealed with another key of the same id',
      );
    }
  }

  /** How every value the current key seals begins: what is stored otherwise needs `reseal`. */
  get currentPrefix(): string {
    return `${VERSION}:${this.current.id}:`;
  }

  /** Whether a stored value is sealed with the current key already (else: plain, or an old key). */
  isCurrent(stored: string): boolean {
    return SEALED.exec(stored)?.[1] === this.current.id;
  }

  /**
   * `stored` sealed with the current key: a value an old key sealed is opened and sealed again, a
   * plain one (stored before values were sealed) is sealed.
   */
  reseal(stored: string, row: readonly string[]): string {
    return this.seal(SecretCipher.isSealed(stored) ? this.open(stored, row) : stored, row);
  }

  /** Whether a stored value is sealed at all; values stored before sealing existed are not. */
  static isSealed(stored: string): boolean {
    return SEALED.test(stored);
  }
}
