import type { ConsentAcceptance, Persona } from '@parley/contracts';
import { DomainError } from '../domain-errors.js';

/**
 * The consent a persona requires, checked against what the visitor accepted; answers the
 * acceptance to keep, or nothing when the persona asks for none.
 */
export function requiredConsent(
  persona: Persona,
  consent: ConsentAcceptance | undefined,
): ConsentAcceptance | undefined {
  const { requireConsent, consentVersion } = persona.disclosure;
  if (!requireConsent) return undefined;
  if (!consent) {
    throw new DomainError(
      'consent_required',
      `persona '${persona.id}' needs the visitor's consent (version ${consentVersion}) first`,
    );
  }
  if (consent.version !== consentVersion) {
    throw new DomainError(
      'consent_outdated',
      `consent version ${consent.version} is not the current version ${consentVersion}`,
    );
  }
  // A receipt never claims a time after the server heard of it.
  const acceptedAt = new Date(Math.min(Date.parse(consent.acceptedAt), Date.now()));
  return { ...consent, acceptedAt: acceptedAt.toISOString() };
}
