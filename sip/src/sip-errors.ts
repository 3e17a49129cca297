/** Why provisioning a number on LiveKit was refused or failed; `code` matches the server's API codes. */
export type SipErrorCode = 'unrestricted_trunk' | 'sip_unavailable' | 'invalid_address';

export class SipProvisioningError extends Error {
  override readonly name = 'SipProvisioningError';

  constructor(
    readonly code: SipErrorCode,
    message: string,
    /** Worth trying again later: LiveKit was unreachable or answered with a server error. */
    readonly retryable = false,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Any failure talking to LiveKit's SIP API becomes `sip_unavailable`, keeping the cause. */
export function sipUnavailable(action: string, cause: unknown): SipProvisioningError {
  if (cause instanceof SipProvisioningError) return cause;
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new SipProvisioningError(
    'sip_unavailable',
    `LiveKit's SIP API failed to ${action}: ${detail}`,
    true,
    { cause },
  );
}
