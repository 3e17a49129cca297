import type { CallInput } from '@parley/contracts';
import type { TenantStorage } from '../storage/index.js';
import type { Call } from '@parley/contracts';

/**
 * The phone status of calls the agent records itself. Parley makes the records of the calls it
 * dials (outbound, continue on my phone) before they ring; a phone call whose record the agent
 * starts came in, and was answered: the bridge answers once the agent publishes its audio.
 */
export function withPhoneDirection(input: CallInput): CallInput {
  if (input.channel !== 'phone' || input.direction !== undefined) return input;
  return { ...input, direction: 'inbound', phoneStatus: input.phoneStatus ?? 'answered' };
}

async function announce(tenant: TenantStorage, call: Call, identity: string): Promise<void> {
  const status = call.phoneStatus;
  if (!status) return;
  // The same id scheme as outbound dials: one delivery per leg and status.
  await tenant.webhooks.enqueue({
    id: `${call.id}.phone_status.${identity}.${status}`,
    type: 'call.phone_status',
    payload: { callId: call.id, status, at: new Date().toISOString() },
  });
}

/** A new inbound call: its caller's leg, and `call.phone_status` `answered`. */
export async function inboundCallStarted(tenant: TenantStorage, call: Call): Promise<void> {
  if (call.direction !== 'inbound' || !call.participantIdentity) return;
  const phoneNumber = call.caller.phoneNumber;
  await tenant.calls.upsertLeg(call.id, {
    kind: 'phone',
    identity: call.participantIdentity,
    ...(phoneNumber && /^\+[1-9]\d{6,14}$/.test(phoneNumber) && { phoneNumber }),
    direction: 'inbound',
    status: call.phoneStatus ?? 'answered',
    startedAt: call.startedAt,
  });
  await announce(tenant, call, call.participantIdentity);
}

/**
 * An answered phone call the agent ended is `completed`, and its caller's leg ended with it.
 * Answers the call as it is now.
 */
export async function phoneCallEnded(tenant: TenantStorage, call: Call): Promise<Call> {
  if (call.channel !== 'phone' || call.phoneStatus !== 'answered') return call;
  const { call: completed, changed } = await tenant.calls.setPhoneStatus(call.id, 'completed');
  if (!changed || !call.participantIdentity) return completed;
  await tenant.calls.upsertLeg(call.id, {
    kind: 'phone',
    identity: call.participantIdentity,
    status: 'completed',
    ...(call.endedAt && { endedAt: call.endedAt }),
  });
  await announce(tenant, completed, call.participantIdentity);
  return completed;
}
