import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAddressOrCidr, parseAllowedAddresses } from './allowed-addresses.js';
import { SipProvisioningError } from './sip-errors.js';

test('IPv4 and IPv6 addresses and CIDRs are accepted, with prefixes in range', () => {
  for (const ok of ['127.0.0.1', '203.0.113.0/24', '0.0.0.0/0', '2001:db8::1', '2001:db8::/32']) {
    assert.equal(isAddressOrCidr(ok), true, ok);
  }
  for (const bad of [
    '',
    'carrier.example',
    '203.0.113.0/33',
    '2001:db8::/129',
    '1.2.3.4/x',
    '1.2.3.4/8/8',
    '256.1.1.1',
  ]) {
    assert.equal(isAddressOrCidr(bad), false, bad);
  }
});

test('a comma-separated list is trimmed and empty entries dropped', () => {
  assert.deepEqual(parseAllowedAddresses(' 127.0.0.1/32, ,198.51.100.7 '), [
    '127.0.0.1/32',
    '198.51.100.7',
  ]);
  assert.deepEqual(parseAllowedAddresses(undefined), []);
  assert.deepEqual(parseAllowedAddresses(''), []);
});

test('when an entry is not an address, then the list is refused naming it', () => {
  assert.throws(
    () => parseAllowedAddresses('127.0.0.1, sip.carrier.example'),
    (err: unknown) =>
      err instanceof SipProvisioningError &&
      err.code === 'invalid_address' &&
      err.message.includes('"sip.carrier.example"'),
  );
});
