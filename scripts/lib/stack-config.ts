import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const TOOLS_BIN = path.join(REPO_ROOT, '.tools', 'bin');

export interface StackPorts {
  server: number;
  livekit: number;
  livekitTcp: number;
  livekitUdp: number;
  redis: number;
  /** The agent framework's own health server. */
  agentHttp: number;
  /** livekit-sip's SIP port (UDP and TCP). */
  sip: number;
  /** livekit-sip's health server. */
  sipHealth: number;
  /** First of livekit-sip's RTP ports; it uses `SIP_RTP_PORTS` of them. */
  sipRtp: number;
}

/** RTP ports per bridge: two per call, so 25 phone calls at once. */
export const SIP_RTP_PORTS = 50;

/** DESIGN.md's loopback defaults. Redis sits on a private port so a system Redis is left alone. */
export const DEFAULT_PORTS: StackPorts = {
  server: 8787,
  livekit: 7880,
  livekitTcp: 7881,
  livekitUdp: 7882,
  redis: 6390,
  agentHttp: 8081,
  sip: 5060,
  sipHealth: 8089,
  sipRtp: 10000,
};

const offset = Number(process.env.PARLEY_TEST_PORT_OFFSET ?? 0);
if (!Number.isInteger(offset) || offset < 0 || offset > 40_000 || offset % SIP_RTP_PORTS !== 0) {
  throw new Error(
    `PARLEY_TEST_PORT_OFFSET=${process.env.PARLEY_TEST_PORT_OFFSET} is not a multiple of ${SIP_RTP_PORTS} in 0…40000`,
  );
}

/**
 * The test command's stack: beside a running dev stack, never on its ports.
 * `PARLEY_TEST_PORT_OFFSET` shifts them all, so two test runs can share a machine.
 */
export const TEST_PORTS: StackPorts = {
  server: 18787 + offset,
  livekit: 17880 + offset,
  livekitTcp: 17881 + offset,
  livekitUdp: 17882 + offset,
  redis: 16390 + offset,
  agentHttp: 18081 + offset,
  sip: 15060 + offset,
  sipHealth: 18089 + offset,
  sipRtp: 20000 + offset,
};

/** `ports`, every one moved by `by`: a stack of a suite's own beside the test command's. */
export function shiftPorts(ports: StackPorts, by: number): StackPorts {
  const entries = Object.entries(ports).map(([key, port]) => [key, port + by]);
  return Object.fromEntries(entries) as unknown as StackPorts;
}

export interface StackSecrets {
  livekitApiKey: string;
  livekitApiSecret: string;
  adminKey: string;
  agentKey: string;
  /** `PARLEY_SECRETS_KEY`: seals the tenants' secrets at rest. */
  secretsKey: string;
}

const token = (bytes: number) => randomBytes(bytes).toString('base64url');

/**
 * Secrets live in `<dir>/secrets.json`, made once so a restarted stack keeps its keys.
 * `PARLEY_ADMIN_KEY` and `PARLEY_SECRETS_KEY` from the environment win over the stored ones.
 */
export async function loadOrCreateSecrets(dir: string): Promise<StackSecrets> {
  const file = path.join(dir, 'secrets.json');
  let secrets: StackSecrets;
  if (existsSync(file)) {
    const stored = JSON.parse(await readFile(file, 'utf8')) as Partial<StackSecrets>;
    // A stack state made before secrets were sealed has no secrets key yet: it gets one.
    secrets = { ...stored, secretsKey: stored.secretsKey ?? token(32) } as StackSecrets;
    if (!stored.secretsKey) {
      await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
    }
  } else {
    secrets = {
      livekitApiKey: `API${token(9)}`,
      livekitApiSecret: token(32),
      adminKey: `pk_admin_${token(24)}`,
      agentKey: `pk_agent_${token(24)}`,
      secretsKey: token(32),
    };
    await mkdir(dir, { recursive: true });
    await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  const adminFromEnv = process.env.PARLEY_ADMIN_KEY;
  const secretsKeyFromEnv = process.env.PARLEY_SECRETS_KEY;
  return {
    ...secrets,
    ...(adminFromEnv && { adminKey: adminFromEnv }),
    ...(secretsKeyFromEnv && { secretsKey: secretsKeyFromEnv }),
  };
}

/**
 * livekit-server's YAML: loopback only, no STUN, shared Redis (livekit-sip needs it), and signed
 * webhooks to the Parley server.
 */
export function livekitYaml(ports: StackPorts, secrets: StackSecrets): string {
  return [
    `port: ${ports.livekit}`,
    'bind_addresses: ["127.0.0.1"]',
    'rtc:',
    `  tcp_port: ${ports.livekitTcp}`,
    `  udp_port: ${ports.livekitUdp}`,
    '  use_external_ip: false',
    '  node_ip: 127.0.0.1',
    '  enable_loopback_candidate: true',
    'redis:',
    `  address: 127.0.0.1:${ports.redis}`,
    'keys:',
    `  ${secrets.livekitApiKey}: ${secrets.livekitApiSecret}`,
    'webhook:',
    `  api_key: ${secrets.livekitApiKey}`,
    '  urls:',
    `    - http://127.0.0.1:${ports.server}/webhooks/livekit`,
    'logging:',
    '  level: info',
    '',
  ].join('\n');
}
