import path from 'node:path';
import { isAddressOrCidr } from '@parley/sip';
import { z } from 'zod';
import { LogLevelSchema } from './observability/logger.js';
import { isSecretsKey } from './tenants/secret-cipher.js';
import { REPO_ROOT } from './package-dir.js';

const SECRETS_KEY_FORMAT =
  'must be 32 random bytes in base64 or base64url (openssl rand -base64 32)';

/** A comma-separated setting as its non-empty, trimmed entries; unset is an empty list. */
const commaList = z
  .string()
  .optional()
  .transform((list) =>
    (list ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry.length > 0),
  );

const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().default('127.0.0.1'),
  /** Where the server itself reaches livekit-server (HTTP API). */
  LIVEKIT_URL: z.string().url().default('ws://127.0.0.1:7880'),
  /** The URL handed to browsers; defaults to LIVEKIT_URL. */
  LIVEKIT_PUBLIC_URL: z.string().url().optional(),
  LIVEKIT_API_KEY: z.string().min(3),
  LIVEKIT_API_SECRET: z.string().min(32, 'must be at least 32 characters'),
  PARLEY_ADMIN_KEY: z.string().min(16, 'must be at least 16 characters'),
  /** Service credential the agent presents on /internal routes. */
  PARLEY_AGENT_KEY: z.string().min(16, 'must be at least 16 characters'),
  /** PostgreSQL; without it, the embedded database lives in PARLEY_DATA_DIR. */
  DATABASE_URL: z.string().url().optional(),
  PARLEY_DATA_DIR: z.string().default(path.join(REPO_ROOT, '.parley', 'data')),
  PARLEY_WIDGET_DIST: z.string().default(path.join(REPO_ROOT, 'widget', 'dist')),
  PARLEY_DEMO_DIST: z.string().default(path.join(REPO_ROOT, 'demo', 'dist')),
  /** Seconds a session token admits a join (at most 10 minutes). */
  PARLEY_TOKEN_TTL: z.coerce.number().int().min(30).max(600).default(600),
  /** Session requests allowed per client IP per minute. */
  PARLEY_SESSION_RATE: z.coerce.number().int().min(1).default(30),
  /** Session requests allowed per persona per minute, all callers together. */
  PARLEY_PERSONA_SESSION_RATE: z.coerce.number().int().min(1).default(600),
  /**
   * Rooms kept open with an agent already waiting in each, for the next web sessions to take
   * (see sessions/standby-rooms.ts); 0 keeps none. Each holds one of the workers' call slots.
   */
  PARLEY_STANDBY_ROOMS: z.coerce.number().int().min(0).max(8).default(1),
  /**
   * Seals tenant secrets and webhook signing secrets at rest (AES-256-GCM). Required in
   * production; in development a key is generated once into PARLEY_DATA_DIR/secrets.key.
   */
  PARLEY_SECRETS_KEY: z.preprocess(
    (text) => (typeof text === 'string' && text.trim() === '' ? undefined : text),
    z.string().trim().refine(isSecretsKey, SECRETS_KEY_FORMAT).optional(),
  ),
  /**
   * Keys rotated out (comma-separated, same format): what they sealed still opens, and is
   * sealed again with PARLEY_SECRETS_KEY when the server starts.
   */
  PARLEY_SECRETS_OLD_KEYS: commaList.refine((list) => list.every(isSecretsKey), {
    message: `each key ${SECRETS_KEY_FORMAT}`,
  }),
  /** `development` lets any localhost page open sessions; set by `npm run dev`. */
  PARLEY_ENV: z.enum(['development', 'production']).default('production'),
  /** Delay before the first retry of a failed webhook delivery; it doubles with each failure. */
  PARLEY_WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(100).default(10_000),
  /** The longest delay between two attempts of one webhook delivery. */
  PARLEY_WEBHOOK_RETRY_MAX_MS: z.coerce.number().int().min(100).default(3_600_000),
  /**
   * Non-public ranges (comma-separated IPs or CIDRs) that webhook tools and webhook deliveries
   * may reach; by default they reach public addresses only (loopback, private, link-local,
   * metadata… refused). The dev and test stacks allow loopback.
   */
  PARLEY_OUTBOUND_ALLOW: commaList.refine((list) => list.every(isAddressOrCidr), {
    message: 'must be comma-separated IP addresses or CIDRs, e.g. 10.20.0.0/16,127.0.0.1',
  }),
  /** How much the server logs (JSON lines on standard output). */
  PARLEY_LOG_LEVEL: LogLevelSchema.default('info'),
  /**
   * livekit-sip's health server (its `health_port`, e.g. `http://127.0.0.1:8089/`). When set,
   * `/healthz` is ready only while the bridge answers; unset, phone calls are not expected.
   */
  PARLEY_SIP_HEALTH_URL: z
    .string()
    .url()
    .regex(/^https?:\/\//, 'must be an http:// or https:// URL')
    .optional(),
  /**
   * Carrier addresses (comma-separated IPs or CIDRs) allowed to send calls to a number that
   * names none of its own.
   */
  PARLEY_SIP_ALLOWED_ADDRESSES: commaList.refine((list) => list.every(isAddressOrCidr), {
    message: 'must be comma-separated IP addresses or CIDRs, e.g. 203.0.113.0/24,198.51.100.7',
  }),
});

export type ServerConfig = z.infer<typeof ConfigSchema> & { livekitPublicUrl: string };

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Builds the server's configuration from env; throws naming every bad key. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid server configuration:\n${lines.join('\n')}`);
  }
  const config = parsed.data;
  if (config.PARLEY_WEBHOOK_RETRY_MAX_MS < config.PARLEY_WEBHOOK_RETRY_BASE_MS) {
    throw new ConfigError(
      'invalid server configuration:\n  PARLEY_WEBHOOK_RETRY_MAX_MS: must be at least PARLEY_WEBHOOK_RETRY_BASE_MS',
    );
  }
  if (config.PARLEY_ENV === 'production' && !config.PARLEY_SECRETS_KEY) {
    throw new ConfigError(
      `invalid server configuration:\n  PARLEY_SECRETS_KEY: required in production; ${SECRETS_KEY_FORMAT}`,
    );
  }
  return { ...config, livekitPublicUrl: config.LIVEKIT_PUBLIC_URL ?? config.LIVEKIT_URL };
}
