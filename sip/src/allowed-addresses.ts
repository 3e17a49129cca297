import { isIP } from 'node:net';
import { SipProvisioningError } from './sip-errors.js';

/** An IPv4 or IPv6 address, optionally with a prefix length (`203.0.113.0/24`, `2001:db8::/32`). */
export function isAddressOrCidr(value: string): boolean {
  const [address = '', prefix, ...rest] = value.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * Carrier addresses from a comma-separated list (`PARLEY_SIP_ALLOWED_ADDRESSES`): trimmed, empty
 * entries dropped; anything that is not an IP or CIDR is refused, naming it.
 */
export function parseAllowedAddresses(list: string | undefined): string[] {
  const addresses = (list ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a.length > 0);
  const bad = addresses.filter((a) => !isAddressOrCidr(a));
  if (bad.length > 0) {
    throw new SipProvisioningError(
      'invalid_address',
      `not an IP address or CIDR: ${bad.map((a) => `"${a}"`).join(', ')}`,
    );
  }
  return addresses;
}
