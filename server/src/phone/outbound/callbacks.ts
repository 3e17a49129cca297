/**
 * Call backs a caller asks for during a call: one scheduled call (kind `callback`) to the call's
 * own number, at the time asked for moved into the persona's calling hours, carrying what the
 * caller wanted so the persona can say why it calls.
 */
import {
  CALLBACK_CONTEXT_VARIABLE,
  openIntervals,
  type BusinessHours,
  type ScheduledCall,
} from '@parley/contracts';
import { announceScheduled } from '../../campaigns/reminders.js';
import { DomainError, NotFoundError } from '../../domain-errors.js';
import { callWithPersona } from '../../personas/call-persona.js';
import type { TenantStorage } from '../../storage/index.js';
import { callerNumberOf } from '../caller-number.js';
import { assertMayReach, callingHoursOf } from './dial-guards.js';
import { outboundTrunkFor } from './outbound-phone.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** A time this far past still means "now" (the model's sense of the clock, a slow turn). */
const PAST_GRACE_MS = 5 * MINUTE;
/** A call back starts at least this long before its calling hours close, so it is still dialled. */
const DIAL_MARGIN_MS = 5 * MINUTE;
/** How far ahead the next calling hours are looked for. */
const SEARCH_DAYS = 14;
const RING_TIMEOUT_SECONDS = 30;
/** Variables a call carries at most (`VariablesSchema`). */
const MAX_VARIABLES = 50;

export interface CallbackTime {
  at: Date;
  /** The time asked for was outside the calling hours (or too close to their end). */
  moved: boolean;
}

/**
 * When to call back for a time asked for at `now`: that time (now, if it has just passed) when it
 * falls inside `hours` (any time without hours), else the start of the next calling hours.
 */
export function callbackTime(
  hours: BusinessHours | undefined,
  requested: Date,
  now: Date,
): CallbackTime {
  if (requested.getTime() < now.getTime() - PAST_GRACE_MS) {
    throw new DomainError('in_the_past', `${requested.toISOString()} has already passed`);
  }
  const start = Math.max(requested.getTime(), now.getTime());
  if (!hours) return { at: new Date(start), moved: false };
  for (const open of openIntervals(hours, new Date(start), new Date(start + SEARCH_DAYS * DAY))) {
    const at = Math.max(open.start.getTime(), start);
    if (open.end.getTime() - at >= DIAL_MARGIN_MS) return { at: new Date(at), moved: at > start };
  }
  throw new DomainError(
    'outside_calling_hours',
    `the persona has no calling hours in the ${SEARCH_DAYS} days from ${new Date(start).toISOString()}`,
  );
}

export interface CallbackRequest {
  at: Date;
  /** What the call back is about, for its persona (`callback_context`). */
  context?: string;
}

export interface ScheduledCallbackResult {
  scheduledCall: ScheduledCall;
  /** False when the same call back had already been scheduled (a retried request). */
  created: boolean;
  moved: boolean;
}

/**
 * Schedules a call back to the caller of call `callId`, checked now against the do-not-call
 * list, the dial policy and the trunk (the dial checks them all again). A call asks for one call
 * back: asking again for another time replaces the one still waiting; asking again for the same
 * time answers it. Sends `call.scheduled`.
 */
export async function scheduleCallback(
  tenant: TenantStorage,
  callId: string,
  request: CallbackRequest,
  now: Date,
): Promise<ScheduledCallbackResult> {
  const { call, persona } = await callWithPersona(tenant.calls, tenant.personas, callId);
  const detail = await tenant.calls.get(callId);
  if (!detail) throw new NotFoundError('not_found', `no call '${callId}'`);
  const to = callerNumberOf(detail);
  await assertMayReach(tenant.dialRules, to);
  const trunk = await outboundTrunkFor(tenant, persona.phone.outboundTrunk);
  const { at, moved } = callbackTime(callingHoursOf(persona), request.at, now);
  // The number the caller dialled, when the trunk can present it: they know who calls back.
  const from =
    call.dialedNumber && trunk.numbers.includes(call.dialedNumber) ? call.dialedNumber : undefined;
  const variables = Object.fromEntries(
    Object.entries(call.variables).slice(0, MAX_VARIABLES - 1),
  ) as ScheduledCall['variables'];
  if (request.context) variables[CALLBACK_CONTEXT_VARIABLE] = request.context;
  return tenant.exclusively(async (locked) => {
    const waiting = await locked.scheduledCalls.waitingCallbacks(call.id);
    const same = waiting.find((s) => Date.parse(s.at) === at.getTime());
    if (same) return { scheduledCall: same, created: false, moved };
    for (const earlier of waiting) await locked.scheduledCalls.cancel(earlier.id);
    const scheduledCall = await locked.scheduledCalls.create(
      {
        kind: 'callback',
        personaId: persona.id,
        to,
        at,
        ...(from && { from, trunk: trunk.name }),
        variables,
        ringTimeoutSeconds: RING_TIMEOUT_SECONDS,
        requestedInCallId: call.id,
      },
      now,
    );
    await announceScheduled(locked, scheduledCall);
    return { scheduledCall, created: true, moved };
  });
}
