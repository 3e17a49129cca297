import {
  isWithinBusinessHours,
  type BusinessHours,
  type DialPolicy,
  type Persona,
} from '@parley/contracts';
import type { DialPolicyRepo } from './dial-policy-repo.js';
import { DomainError } from '../../domain-errors.js';

/** Whether the tenant's dial policy lets Parley dial `to` (an E.164 number). */
export function isAllowedDestination(policy: DialPolicy, to: string): boolean {
  return policy.allowedPrefixes.some((prefix) => to.startsWith(prefix));
}

/**
 * When a persona may place outbound calls: its `phone.callingHours` in its business time zone
 * (UTC without business hours), else its business hours; nothing means any time.
 */
export function callingHoursOf(persona: Persona): BusinessHours | undefined {
  const { callingHours } = persona.phone;
  const business = persona.businessHours;
  if (callingHours) {
    return {
      timeZone: business?.timeZone ?? 'UTC',
      weekly: callingHours,
      appointmentMinutes: business?.appointmentMinutes ?? 30,
    };
  }
  return business;
}

/** Whether `hours` are open at the instant `at`; without hours, always. */
export function isOpenAt(hours: BusinessHours | undefined, at: Date): boolean {
  return !hours || isWithinBusinessHours(hours, at, new Date(at.getTime() + 1));
}

export function isWithinCallingHours(persona: Persona, at: Date): boolean {
  return isOpenAt(callingHoursOf(persona), at);
}

/**
 * Refuses a number Parley may never dial, with its typed error: one on the do-not-call list, or
 * a destination the dial policy does not allow (the toll-fraud guard). Answers the policy.
 */
export async function assertMayReach(rules: DialPolicyRepo, to: string): Promise<DialPolicy> {
  if (await rules.isDoNotCall(to)) {
    throw new DomainError('do_not_call', `${to} is on the do-not-call list`);
  }
  const policy = await rules.policy();
  if (!isAllowedDestination(policy, to)) {
    throw new DomainError(
      'destination_not_allowed',
      `the dial policy allows no destination like ${to} (allowed prefixes: ${
        policy.allowedPrefixes.join(', ') || 'none'
      })`,
    );
  }
  return policy;
}

/** What a dial is checked against: the tenant's rules and the persona placing the call. */
export interface DialCheck {
  rules: DialPolicyRepo;
  persona: Persona;
  to: string;
  now: Date;
  /**
   * Outbound calls keep to calling hours (`true`: the persona's; or the hours given, a campaign's
   * calling window); a visitor asking to be called now does not.
   */
  callingHours: boolean | BusinessHours;
}

/**
 * Refuses a dial, with its typed error, before anything dials: a number on the do-not-call
 * list, a destination the dial policy does not allow (the toll-fraud guard), a call outside the
 * persona's calling hours, or one phone call more than the tenant may have at once.
 */
export async function assertMayDial(check: DialCheck): Promise<void> {
  const { rules, persona, to, now } = check;
  const policy = await assertMayReach(rules, to);
  const hours =
    check.callingHours === true ? callingHoursOf(persona) : check.callingHours || undefined;
  if (!isOpenAt(hours, now)) {
    throw new DomainError(
      'outside_calling_hours',
      `persona '${persona.id}' places calls only in its calling hours`,
    );
  }
  const active = await rules.activePhoneCalls();
  if (active >= policy.maxConcurrentPhoneCalls) {
    throw new DomainError(
      'phone_call_limit',
      `${active} phone calls are in progress; the dial policy allows ${policy.maxConcurrentPhoneCalls}`,
    );
  }
}
