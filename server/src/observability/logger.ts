import { pino, type DestinationStream, type Logger } from 'pino';
import { z } from 'zod';
import { currentLogContext } from './log-context.js';

export type { Logger };

export const LogLevelSchema = z.enum([
  'fatal',
  'error',
  'warn',
  'info',
  'debug',
  'trace',
  'silent',
]);
export type LogLevel = z.infer<typeof LogLevelSchema>;

export interface LoggerOptions {
  level: LogLevel;
  /** Where the JSON lines go; standard output by default. */
  destination?: DestinationStream;
}

/**
 * Keys whose values never reach a log line, wherever they sit one level deep. Nothing logs
 * headers or bodies on purpose; this catches a credential passed along by mistake. `params`:
 * the embedded database's errors carry the failed statement's parameters (`err.params`), which
 * hold what a request stored (a secret, a caller's details).
 */
const REDACTED_KEYS = [
  'authorization',
  'token',
  'secret',
  'apiSecret',
  'adminKey',
  'agentKey',
  'params',
];

/**
 * The server's structured logger: one JSON object per line, with a readable level and time.
 * Lines written while a request is served carry its log context (request id, call id, room).
 */
export function createLogger({ level, destination }: LoggerOptions): Logger {
  const options = {
    level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    // A fresh object each call: pino merges the line's own fields into it.
    mixin: () => ({ ...currentLogContext() }),
    redact: {
      paths: REDACTED_KEYS.flatMap((key) => [key, `*.${key}`]),
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
