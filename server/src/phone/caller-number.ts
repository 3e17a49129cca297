import { E164Schema, type CallDetail } from '@parley/contracts';
import { DomainError } from '../domain-errors.js';

/**
 * The caller's own phone number, from the call record (never from anything the model says): a
 * phone call's caller, else the phone a web visitor moved the call to ("continue on my phone").
 * A number the trunk gave in another form than E.164 is not one Parley can dial or list.
 */
export function callerNumberOf(call: CallDetail): string {
  const candidates = [
    call.channel === 'phone' ? call.caller.phoneNumber : undefined,
    ...call.legs.filter((leg) => leg.kind === 'phone').map((leg) => leg.phoneNumber),
  ];
  const number = candidates.find((n) => n !== undefined && E164Schema.safeParse(n).success);
  if (!number) {
    throw new DomainError(
      'no_caller_number',
      `call '${call.id}' has no phone number of the caller's (a web visitor who gave none)`,
    );
  }
  return number;
}
