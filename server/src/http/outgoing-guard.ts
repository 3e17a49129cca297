import { promises as dns, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { Agent, buildConnector, fetch, type RequestInit, type Response } from 'undici';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** Loopback, both families: what the development and test stacks allow. */
export const LOOPBACK_RANGES: readonly string[] = ['127.0.0.0/8', '::1/128'];

/**
 * Cloud metadata services. Each is in a refused range already; naming them makes the refusal
 * say so, and a broader allowed range (`169.254.0.0/16`, `100.64.0.0/10`) does not open them:
 * only the address itself, listed on its own, does.
 */
const METADATA_ADDRESSES = ['169.254.169.254', '169.254.170.2', '100.100.100.200', 'fd00:ec2::254'];

/** How each of ipaddr.js's special ranges is named in a refusal. */
const RANGE_NAMES: Record<string, string> = {
  unspecified: 'an unspecified address',
  broadcast: 'a broadcast address',
  multicast: 'a multicast address',
  linkLocal: 'a link-local address',
  loopback: 'a loopback address',
  carrierGradeNat: 'a carrier-grade NAT address',
  private: 'a private address',
  uniqueLocal: 'a private (unique-local) address',
  reserved: 'a reserved address',
  benchmarking: 'a benchmarking address',
  teredo: 'a Teredo address',
  rfc6052: 'a local-use NAT64 address',
};

export interface OutgoingGuardOptions {
  /**
   * Ranges the operator allows although they are not public (CIDRs or single addresses, e.g.
   * `10.20.0.0/16`, `::1`): `PARLEY_OUTBOUND_ALLOW`.
   */
  allow: readonly string[];
  /**
   * Every address of a host name, asked once per connection; the system resolver by default.
   * Tests pass their own, so no real DNS is involved.
   */
  lookup: (hostname: string) => Promise<LookupAddress[]>;
  /** How long a connection (and its TLS handshake) may take. */
  connectTimeoutMs: number;
  /** Certificate authorities (PEM) trusted instead of node's own; for tests. */
  ca?: string;
}

const DEFAULTS: OutgoingGuardOptions = {
  allow: [],
  lookup: (hostname) => dns.lookup(hostname, { all: true }),
  connectTimeoutMs: 10_000,
};

/** A request the guard would not send: its host is, or resolves to, a refused address. */
export class OutgoingRequestRefused extends Error {
  override readonly name = 'OutgoingRequestRefused';
  readonly code = 'address_refused';

  constructor(
    readonly host: string,
    readonly address: string,
    /** What the address is: `'a loopback address'`, … */
    readonly reason: string,
  ) {
    super(
      `refused to connect to ${host === address ? address : `${host} (${address})`}: ` +
        `${reason}; outgoing requests reach public addresses only`,
    );
  }
}

/**
 * Where the server's own outgoing requests may go (webhook tools, webhook deliveries): public
 * addresses, and the ranges the operator allows. The check happens where the socket is made:
 * a host name is resolved once, every address it resolves to is checked, and the socket connects
 * to those very addresses, so a name that answers differently the second time (DNS rebinding)
 * gains nothing. TLS is still verified against the URL's host name. Redirects are never
 * followed: a 3xx answer comes back as it is.
 */
export class OutgoingGuard {
  private readonly options: OutgoingGuardOptions;
  private readonly allowed: Array<[Address, number]>;
  private readonly agent: Agent;

  constructor(options: Partial<OutgoingGuardOptions> = {}) {
    this.options = { ...DEFAULTS, ...options };
    this.allowed = this.options.allow.map(parseRange);
    const connect = buildConnector({
      lookup: this.checkedLookup,
      timeout: this.options.connectTimeoutMs,
      ...(this.options.ca !== undefined && { ca: this.options.ca }),
    });
    this.agent = new Agent({
      connect: (target, callback) => {
        // A literal address is never looked up (node connects to it directly): check it here.
        const host = unbracketed(target.hostname);
        const reason = isIP(host) === 0 ? undefined : this.refusal(host);
        if (reason) callback(new OutgoingRequestRefused(host, host, reason), null);
        else connect(target, callback);
      },
    });
  }

  /** Why `address` may not be reached (`'a loopback address'`, …), or `undefined` when it may. */
  refusal(address: string): string | undefined {
    if (!ipaddr.isValid(address)) return 'not an IP address';
    const ip = unmapped(ipaddr.parse(address));
    if (METADATA_ADDRESSES.some((m) => sameAddress(ip, ipaddr.parse(m)))) {
      const listed = this.allowed.some(
        ([net, bits]) => bits === fullBits(net) && sameAddress(ip, net),
      );
      return listed ? undefined : 'a cloud metadata address';
    }
    if (this.isAllowed(ip)) return undefined;
    const range = ip.range();
    if (range === 'unicast') return undefined;
    const embedded = embeddedIPv4(ip);
    if (embedded) {
      const reason = this.refusal(embedded.toString());
      return reason && `${reason} (${embedded.toString()}, carried in ${ip.toString()})`;
    }
    return RANGE_NAMES[range] ?? `a special-purpose address (${range})`;
  }

  /**
   * Why a URL would be refused, when its host is itself a refused address (or `localhost`): the
   * cheap check when a URL is stored. A host name is only checked when it is called.
   */
  refusedUrl(url: string | URL): OutgoingRequestRefused | undefined {
    const host = unbracketed(new URL(url).hostname);
    const address = /(^|\.)localhost\.?$/i.test(host) ? '127.0.0.1' : host;
    const reason = isIP(address) === 0 ? undefined : this.refusal(address);
    return reason === undefined ? undefined : new OutgoingRequestRefused(host, address, reason);
  }

  /**
   * `fetch` through the guard. A refused address rejects with {@link OutgoingRequestRefused};
   * anything else that stops the request rejects as `fetch` does.
   */
  async fetch(
    url: string | URL,
    init: Omit<RequestInit, 'dispatcher' | 'redirect'> = {},
  ): Promise<Response> {
    const { protocol } = new URL(url);
    if (protocol !== 'http:' && protocol !== 'https:') {
      throw new TypeError(`only http(s) URLs are requested, not ${protocol}`);
    }
    try {
      return await fetch(url, { ...init, redirect: 'manual', dispatcher: this.agent });
    } catch (err) {
      if (err instanceof Error && err.cause instanceof OutgoingRequestRefused) throw err.cause;
      throw err;
    }
  }

  /** Closes the kept-alive connections. */
  close(): Promise<void> {
    return this.agent.close();
  }

  /** node's `lookup` hook: one resolution, every answer checked, only checked answers used. */
  private readonly checkedLookup: LookupFunction = (hostname, options, callback) => {
    this.options.lookup(hostname).then(
      (all) => {
        const family = options.family === 4 || options.family === 6 ? options.family : undefined;
        const addresses = family ? all.filter((a) => a.family === family) : all;
        const refused = addresses
          .map((a) => ({ address: a.address, reason: this.refusal(a.address) }))
          .find((a) => a.reason !== undefined);
        const [first] = addresses;
        if (refused?.reason) {
          callback(new OutgoingRequestRefused(hostname, refused.address, refused.reason), '');
        } else if (!first) {
          const err: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
          err.code = 'ENOTFOUND';
          callback(err, '');
        } else if (options.all) {
          callback(null, addresses);
        } else {
          callback(null, first.address, first.family);
        }
      },
      (err: NodeJS.ErrnoException) => callback(err, ''),
    );
  };

  private isAllowed(ip: Address): boolean {
    return this.allowed.some(([net, bits]) => ip.kind() === net.kind() && ip.match(net, bits));
  }
}

/** `address` or `address/bits`, as in `PARLEY_OUTBOUND_ALLOW`; throws naming a bad entry. */
function parseRange(entry: string): [Address, number] {
  const [address = '', bits, ...rest] = entry.trim().split('/');
  const family = isIP(address);
  const max = family === 4 ? 32 : 128;
  if (family === 0 || rest.length > 0 || (bits !== undefined && !/^\d{1,3}$/.test(bits))) {
    throw new RangeError(`OutgoingGuard: '${entry}' is not an IP address or CIDR`);
  }
  const prefix = bits === undefined ? max : Number(bits);
  if (prefix > max) throw new RangeError(`OutgoingGuard: '${entry}' has a prefix over ${max}`);
  return [unmapped(ipaddr.parse(address)), prefix];
}

/** `::ffff:127.0.0.1` is 127.0.0.1: IPv4-mapped addresses are judged as the IPv4 they carry. */
function unmapped(ip: Address): Address {
  return ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()
    ? (ip as ipaddr.IPv6).toIPv4Address()
    : ip;
}

/**
 * The IPv4 address an IPv6 one stands for, where the network hands it on: IPv4-translated
 * (`::ffff:0:a.b.c.d`), NAT64's well-known prefix (`64:ff9b::a.b.c.d`) and 6to4 (`2002:AABB:CCDD::`).
 */
function embeddedIPv4(ip: Address): ipaddr.IPv4 | undefined {
  if (ip.kind() !== 'ipv6') return undefined;
  const parts = (ip as ipaddr.IPv6).parts;
  const v4 = (high = 0, low = 0) => new ipaddr.IPv4([high >> 8, high & 255, low >> 8, low & 255]);
  switch ((ip as ipaddr.IPv6).range()) {
    case 'rfc6145':
      return v4(parts[6], parts[7]);
    case 'rfc6052':
      // Only the well-known /96 carries the address at the end; the local-use /48 is refused.
      return parts[2] === 0 ? v4(parts[6], parts[7]) : undefined;
    case '6to4':
      return v4(parts[1], parts[2]);
    default:
      return undefined;
  }
}

function fullBits(ip: Address): number {
  return ip.kind() === 'ipv4' ? 32 : 128;
}

function sameAddress(a: Address, b: Address): boolean {
  return a.kind() === b.kind() && a.match(b, fullBits(b));
}

/** URL host names keep IPv6 addresses in brackets; sockets and `isIP` take them bare. */
function unbracketed(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}
