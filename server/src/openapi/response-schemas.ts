/**
 * Schemas of answers whose type is a TypeScript interface rather than a zod schema (the error
 * body, the session answer). Each is checked against its interface at compile time, so the
 * document cannot drift from what the routes answer. Every other answer's schema is its type's
 * one declaration in `@parley/contracts`.
 */
import { z, type ZodTypeAny } from 'zod';
import {
  ERROR_STATUS,
  type ApiErrorBody,
  type ErrorCode,
  type SessionResponse,
} from '@parley/contracts';

type SameKeys<A, B> = [keyof A] extends [keyof B]
  ? [keyof B] extends [keyof A]
    ? true
    : false
  : false;
type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? SameKeys<A, B> : false) : false;

/**
 * Returns the schema unchanged; compiles only while the schema's values and `T` are mutually
 * assignable with the same keys (an optional field added to `T` alone fails too).
 */
const describing =
  <T>() =>
  <S extends ZodTypeAny>(schema: S & (Exactly<z.infer<S>, T> extends true ? unknown : never)): S =>
    schema;

const ErrorCodeSchema = z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]);

export const ApiErrorBodySchema = describing<ApiErrorBody>()(
  z.object({ error: z.object({ code: ErrorCodeSchema, message: z.string() }) }),
);

export const SessionResponseSchema = describing<SessionResponse>()(
  z.object({
    serverUrl: z.string(),
    token: z.string().describe('LiveKit access token: one identity, one room, microphone only'),
    roomName: z.string(),
    identity: z.string(),
    expiresAt: z.string().describe('after this time the token no longer admits a join'),
  }),
);

export const HealthSchema = z.object({
  status: z.enum(['ok', 'starting']),
  checks: z.object({
    server: z.string(),
    livekit: z.string(),
    agent: z.string(),
    sip: z.string().describe("livekit-sip: 'ok', 'unreachable' or 'not configured'"),
  }),
  agentWorkers: z.number().int(),
});
