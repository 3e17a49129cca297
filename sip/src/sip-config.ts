/** What livekit-sip needs to join a livekit-server on loopback (see ../../shared/LIVEKIT.md). */
export interface SipBridgeOptions {
  apiKey: string;
  apiSecret: string;
  /** livekit-server's WebSocket URL (livekit-sip reads `ws_url`, not LIVEKIT_URL). */
  wsUrl: string;
  /** The Redis livekit-server uses: SIP jobs travel through it. */
  redisAddress: string;
  sipPort: number;
  /** RTP port range, `first-last`. */
  rtpPorts: `${number}-${number}`;
  healthPort: number;
  maxActiveCalls: number;
  /** Where SIP and RTP listen; loopback unless a carrier must reach this host. */
  listenIp?: string;
  /** The address the bridge announces in SIP and SDP (this host's public one for a carrier). */
  externalIp?: string;
}

export const SIP_DEFAULTS = {
  sipPort: 5060,
  rtpPorts: '10000-10049',
  healthPort: 8089,
  maxActiveCalls: 20,
} as const satisfies Partial<SipBridgeOptions>;

/**
 * livekit-sip's YAML for a loopback-only host: no external IP discovery (STUN is unreachable) and
 * `nat_1_to_1_ip: 127.0.0.1`, without which it fails with "no local interface found".
 */
export function sipBridgeYaml(options: SipBridgeOptions): string {
  const [first, last] = options.rtpPorts.split('-').map(Number);
  if (first === undefined || last === undefined || !(first > 0 && first <= last && last < 65536)) {
    throw new RangeError(`rtpPorts must be "first-last" within 1-65535, got "${options.rtpPorts}"`);
  }
  return [
    `api_key: ${options.apiKey}`,
    `api_secret: ${options.apiSecret}`,
    `ws_url: ${options.wsUrl}`,
    'redis:',
    `  address: ${options.redisAddress}`,
    `sip_port: ${options.sipPort}`,
    `rtp_port: ${options.rtpPorts}`,
    'use_external_ip: false',
    `nat_1_to_1_ip: ${options.externalIp ?? '127.0.0.1'}`,
    `listen_ip: ${options.listenIp ?? '127.0.0.1'}`,
    // The default 0.9 refuses calls ("cpu exhausted") whenever a small host is busy.
    'max_cpu_utilization: 1.0',
    `health_port: ${options.healthPort}`,
    `max_active_calls: ${options.maxActiveCalls}`,
    'logging:',
    '  level: info',
    '',
  ].join('\n');
}
