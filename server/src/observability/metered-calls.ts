import type { CallRepo, TenantStorage } from '../storage/index.js';
import { annotateLogContext } from './log-context.js';
import type { Logger } from './logger.js';
import type { ServerMetrics } from './metrics.js';

/**
 * The call repository as the routes and the LiveKit event handler should see it: the same
 * repository, whose writes also count calls and turns, log calls starting and ending, and name
 * the call in the current request's log context. A delegate rather than a subclass, so it wraps
 * whatever repository it is given and passes every other method through untouched.
 */
export function meteredCalls(calls: CallRepo, metrics: ServerMetrics, logger: Logger): CallRepo {
  const metered = Object.create(calls) as CallRepo;

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
    // A close may replace an earlier provisional one; only the first end of a call is counted.
    const wasActive = (await calls.require(args[0])).status === 'active';
    const closed = await calls.close(...args);
    const { call } = closed;
    annotateLogContext({ callId: call.id, roomName: call.roomName });
    if (closed.closed && call.outcome) {
      if (wasActive) metrics.callEnded(call.channel, call.outcome);
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
): (tenant: TenantStorage) => TenantStorage {
  return (tenant) => ({ ...tenant, calls: meteredCalls(tenant.calls, metrics, logger) });
}
