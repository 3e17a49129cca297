import type { CallRepo, TenantStorage } from '../storage/index.js';
import { annotateLogContext } from './log-context.js';
import type { Logger } from './logger.js';
import type { ServerMetrics } from './metrics.js';

/**
 * How long a call LiveKit closed (provisionally: its room finished first) waits for the agent's
 * own close before it is counted as LiveKit left it. The agent's close normally follows within
 * seconds; one whose agent is gone never comes.
 */
export const PROVISIONAL_CLOSE_GRACE_MS = 120_000;

export interface MeteredCallsOptions {
  /** See `PROVISIONAL_CLOSE_GRACE_MS`. */
  provisionalGraceMs?: number;
}

/** Calls LiveKit closed and the agent not yet, each with the timer that counts it at last. */
type PendingCounts = Map<string, NodeJS.Timeout>;

/**
 * The call repository as the routes and the LiveKit event handler should see it: the same
 * repository, whose writes also count calls and turns, log calls starting and ending, and name
 * the call in the current request's log context. A delegate rather than a subclass, so it wraps
 * whatever repository it is given and passes every other method through untouched.
 *
 * Each call is counted once, under its final outcome: the agent's close, or LiveKit's when no
 * agent close follows within the grace. With several replicas, whichever replica stores the
 * agent's close counts it, and the one that stored LiveKit's counts only a call still closed by
 * LiveKit when its grace ends (a restart in between leaves that call uncounted).
 */
export function meteredCalls(
  calls: CallRepo,
  metrics: ServerMetrics,
  logger: Logger,
  options: MeteredCallsOptions = {},
  pending: PendingCounts = new Map(),
): CallRepo {
  const graceMs = options.provisionalGraceMs ?? PROVISIONAL_CLOSE_GRACE_MS;
  const metered = Object.create(calls) as CallRepo;

  const countUnlessReplaced = (callId: string) => {
    pending.delete(callId);
    calls.get(callId).then(
      (call) => {
        if (call?.closedBy === 'livekit' && call.outcome) {
          metrics.callEnded(call.channel, call.outcome);
        }
      },
      (err: unknown) => logger.warn({ err, callId }, 'a call LiveKit closed could not be counted'),
    );
  };

  metered.ensure = async (input) => {
    const started = await calls.ensure(input);
    const { call } = started;
    annotateLogContext({ callId: call.id, roomName: call.roomName });
    if (started.created) {
      logger.info(
        { callId: call.id, personaId: call.personaId, channel: call.channel },
        'call started',
      );
    }
    return started;
  };

  // A request about one call names its room too, once the call is loaded.
  metered.get = async (...args) => {
    const call = await calls.get(...args);
    if (call) annotateLogContext({ callId: call.id, roomName: call.roomName });
    return call;
  };

  metered.require = async (...args) => {
    const call = await calls.require(...args);
    annotateLogContext({ callId: call.id, roomName: call.roomName });
    return call;
  };

  metered.appendTurn = async (...args) => {
    const appended = await calls.appendTurn(...args);
    if (appended.created) metrics.turnStored(appended.turn.timings);
    return appended;
  };

  metered.close = async (...args) => {
    const closed = await calls.close(...args);
    const { call } = closed;
    annotateLogContext({ callId: call.id, roomName: call.roomName });
    if (closed.closed && call.outcome) {
      // The agent's close is final (and replaces LiveKit's, which was counted by nobody yet);
      // LiveKit's waits for it.
      if (call.closedBy === 'livekit') {
        clearTimeout(pending.get(call.id));
        pending.set(call.id, setTimeout(countUnlessReplaced, graceMs, call.id).unref());
      } else {
        clearTimeout(pending.get(call.id));
        pending.delete(call.id);
        metrics.callEnded(call.channel, call.outcome);
      }
      logger.info(
        {
          callId: call.id,
          outcome: call.outcome,
          closedBy: call.closedBy,
          durationMs: call.durationMs,
        },
        'call ended',
      );
    }
    return closed;
  };

  return metered;
}

/** Meters each tenant's call repository (see `meteredCalls`), as the routes should see it. */
export function meteredTenant(
  metrics: ServerMetrics,
  logger: Logger,
  options: MeteredCallsOptions = {},
): (tenant: TenantStorage) => TenantStorage {
  const pending: PendingCounts = new Map();
  return (tenant) => ({
    ...tenant,
    calls: meteredCalls(tenant.calls, metrics, logger, options, pending),
  });
}
