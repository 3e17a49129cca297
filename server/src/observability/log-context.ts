import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line written while serving one request carries. */
export interface LogContext {
  reqId: string;
  /** The call the request is about, once known (from the path, the call record or the room). */
  callId?: string;
  roomName?: string;
  /** An admin request's tenant, and who acted on it: the audit trail of the operator key. */
  tenantId?: string;
  actor?: 'operator' | 'apiKey';
}

const current = new AsyncLocalStorage<LogContext>();

/** Runs `fn` (and everything it starts) with `context` as the current log context. */
export function runWithLogContext<T>(context: LogContext, fn: () => T): T {
  return current.run(context, fn);
}

/** The current request's log context, if the caller runs inside one. */
export function currentLogContext(): Readonly<LogContext> | undefined {
  return current.getStore();
}

/**
 * Adds what a deeper layer learnt (e.g. the call a LiveKit room carries) to the current request's
 * context, so the lines logged after it, including the request line itself, carry it too.
 * Outside a request this does nothing.
 */
export function annotateLogContext(
  fields: Pick<LogContext, 'callId' | 'roomName' | 'tenantId' | 'actor'>,
): void {
  const context = current.getStore();
  if (!context) return;
  if (fields.callId) context.callId = fields.callId;
  if (fields.roomName) context.roomName = fields.roomName;
  if (fields.tenantId) context.tenantId = fields.tenantId;
  if (fields.actor) context.actor = fields.actor;
}
