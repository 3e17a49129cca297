import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SIP_DEFAULTS, sipBridgeYaml } from './sip-config.js';

const base = {
  apiKey: 'APIkey',
  apiSecret: 'secret',
  wsUrl: 'ws://127.0.0.1:7880',
  redisAddress: '127.0.0.1:6390',
  ...SIP_DEFAULTS,
};

test('the bridge config pins loopback NAT and skips external IP discovery', () => {
  const yaml = sipBridgeYaml(base);
  assert.match(yaml, /^ws_url: ws:\/\/127\.0\.0\.1:7880$/m);
  assert.match(yaml, /^use_external_ip: false$/m);
  assert.match(yaml, /^nat_1_to_1_ip: 127\.0\.0\.1$/m);
  assert.match(yaml, /^ {2}address: 127\.0\.0\.1:6390$/m);
  assert.match(yaml, /^rtp_port: 10000-10049$/m);
  assert.match(yaml, /^max_cpu_utilization: 1\.0$/m);
  assert.match(yaml, /^listen_ip: 127\.0\.0\.1$/m);
});

test('an inverted or out-of-range RTP range is refused', () => {
  assert.throws(() => sipBridgeYaml({ ...base, rtpPorts: '20000-10000' }), RangeError);
  assert.throws(() => sipBridgeYaml({ ...base, rtpPorts: '0-100' }), RangeError);
  assert.throws(() => sipBridgeYaml({ ...base, rtpPorts: '60000-70000' }), RangeError);
});

test('a bridge for a real carrier listens and announces where it is told', () => {
  const yaml = sipBridgeYaml({ ...base, listenIp: '0.0.0.0', externalIp: '203.0.113.7' });
  assert.match(yaml, /^listen_ip: 0\.0\.0\.0$/m);
  assert.match(yaml, /^nat_1_to_1_ip: 203\.0\.113\.7$/m);
});
