import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildNodeBundles, NODE_BUNDLES } from './build-node.js';
import { startProcess, stopProcess, type ManagedProcess, type SpawnOptions } from './processes.js';
import { httpStatus, tcpOpen, waitFor } from './readiness.js';
import { sipBridgeYaml } from '@parley/sip';
import {
  DEFAULT_PORTS,
  REPO_ROOT,
  SIP_RTP_PORTS,
  TOOLS_BIN,
  livekitYaml,
  loadOrCreateSecrets,
  type StackPorts,
  type StackSecrets,
} from './stack-config.js';

export interface StackOptions {
  ports: StackPorts;
  /** Holds generated config, secrets, Redis files and personas. */
  stateDir: string;
  /** Output lines of every component; the default prints them prefixed. */
  onLine?: (name: string, line: string) => void;
  /** Extra environment for the agent worker (e.g. tuning, provider fakes). */
  agentEnv?: NodeJS.ProcessEnv;
  /** Extra environment for the Parley server (e.g. `DATABASE_URL` for PostgreSQL). */
  serverEnv?: NodeJS.ProcessEnv;
  readyTimeoutMs?: number;
  /** `development` lets any localhost page open sessions (PARLEY_ENV of the server). */
  environment?: 'development' | 'production';
  /**
   * Scale-out on one machine (default 1): this many livekit-server nodes sharing the one Redis,
   * Parley servers and agent workers, as on several machines. Replica `n` (from 2) is a node
   * `livekit-n` (its webhooks to `server-n`), a server `server-n` and a worker `agent-n` that
   * talk to it, on ports of their own ({@link replicaPorts}). The servers share state only
   * through their database, so more than one needs PostgreSQL (`serverEnv.DATABASE_URL`).
   * livekit-sip stays one, on the first node.
   */
  replicas?: number;
}

/** Where replica `n` (2, 3, …) of a scaled-out stack listens; replica 1 is `ports` itself. */
export interface ReplicaPorts {
  livekit: number;
  livekitTcp: number;
  livekitUdp: number;
  server: number;
  agentHttp: number;
}

export function replicaPorts(ports: StackPorts, n: number): ReplicaPorts {
  const k = n - 1;
  return {
    livekit: ports.livekit + 3 * k,
    livekitTcp: ports.livekitTcp + 3 * k,
    livekitUdp: ports.livekitUdp + 3 * k,
    server: ports.server + k,
    agentHttp: ports.agentHttp + k,
  };
}

/** One replica of a scaled-out stack, as a test or a client sees it. */
export interface StackReplica {
  /** 1, 2, …: its components are `livekit`, `server`, `agent` for 1, `livekit-2`, … for 2. */
  n: number;
  url: string;
  livekitUrl: string;
  /** Its worker's call-record journals. */
  spoolDir: string;
}

export interface Stack {
  url: string;
  livekitUrl: string;
  secrets: StackSecrets;
  ports: StackPorts;
  /** The agent's call-record journals (`PARLEY_SPOOL_DIR`); a journal's `.lock` names its job's pid. */
  spoolDir: string;
  processes: ManagedProcess[];
  /** livekit-sip's SIP address on loopback (`127.0.0.1:5060`): where phone calls arrive. */
  sipAddress: string;
  /** Every replica, the first being `url`/`livekitUrl`/`spoolDir` above (one unless scaled out). */
  replicas: StackReplica[];
  /** Resolves with the name of the first component that exits on its own. */
  firstExit: Promise<string>;
  /**
   * Stops one component (`redis`, `livekit`, `sip`, `server` or `agent`) and starts it again with the
   * same command, for fault injection; `downMs` is how long it stays down. `processes` then
   * holds the new process (and `firstExit` no longer watches that component).
   */
  restart(name: string, downMs?: number): Promise<ManagedProcess>;
  stop(): Promise<void>;
}

/** A component's name in replica `n`: `agent`, `agent-2`, … */
export const replicaName = (component: string, n: number) =>
  n === 1 ? component : `${component}-${n}`;

export class PortBusyError extends Error {
  override readonly name = 'PortBusyError';
}

const PORT_OWNERS: Record<keyof StackPorts, string> = {
  server: 'the Parley server (PORT)',
  livekit: 'livekit-server',
  livekitTcp: 'livekit-server RTC over TCP',
  livekitUdp: 'livekit-server RTC over UDP',
  redis: 'Redis',
  agentHttp: "the agent worker's health server",
  sip: 'livekit-sip (SIP)',
  sipHealth: "livekit-sip's health server",
  sipRtp: "livekit-sip's first RTP port",
};

/** Ports only bound over UDP: a TCP probe cannot tell whether they are free. */
const UDP_ONLY = new Set<keyof StackPorts>(['livekitUdp', 'sipRtp']);

async function assertPortsFree(ports: StackPorts): Promise<void> {
  for (const [key, port] of Object.entries(ports) as [keyof StackPorts, number][]) {
    if (UDP_ONLY.has(key)) continue;
    if (await tcpOpen(port)) {
      throw new PortBusyError(
        `port ${port} (${PORT_OWNERS[key]}) is already in use: stop whatever listens there ` +
          `(\`ss -ltnp 'sport = :${port}'\` shows it) or pick other ports`,
      );
    }
  }
}

/**
 * Starts Redis, livekit-server, livekit-sip, the Parley server and the agent worker, in
 * dependency order; the server and the worker run as freshly built bundles (build-node.ts).
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const { ports, stateDir } = options;
  const timeout = options.readyTimeoutMs ?? 120_000;
  const replicaCount = options.replicas ?? 1;
  if (!Number.isInteger(replicaCount) || replicaCount < 1) {
    throw new Error(`replicas must be a positive integer, got ${options.replicas}`);
  }
  if (replicaCount > 1 && !options.serverEnv?.DATABASE_URL) {
    throw new Error('several server replicas share one database: give serverEnv.DATABASE_URL');
  }
  const extraPorts = Array.from({ length: replicaCount - 1 }, (_, i) => replicaPorts(ports, i + 2));
  await assertPortsFree(ports);
  for (const extra of extraPorts) {
    await assertPortsFree({ ...ports, ...extra });
  }
  await buildNodeBundles();
  const secrets = await loadOrCreateSecrets(stateDir);
  await mkdir(path.join(stateDir, 'redis'), { recursive: true });
  const replicas: (StackReplica & { ports: StackPorts })[] = [
    ports,
    ...extraPorts.map((extra) => ({ ...ports, ...extra })),
  ].map((own, i) => ({
    n: i + 1,
    ports: own,
    url: `http://127.0.0.1:${own.server}`,
    livekitUrl: `ws://127.0.0.1:${own.livekit}`,
    spoolDir: path.join(stateDir, i === 0 ? 'spool' : `spool-${i + 1}`),
  }));
  const { spoolDir } = replicas[0] as StackReplica;
  for (const replica of replicas) {
    const config = path.join(stateDir, `${replicaName('livekit', replica.n)}.yaml`);
    await writeFile(config, livekitYaml(replica.ports, secrets), { mode: 0o600 });
  }
  const sipConfig = path.join(stateDir, 'livekit-sip.yaml');
  await writeFile(
    sipConfig,
    sipBridgeYaml({
      apiKey: secrets.livekitApiKey,
      apiSecret: secrets.livekitApiSecret,
      wsUrl: `ws://127.0.0.1:${ports.livekit}`,
      redisAddress: `127.0.0.1:${ports.redis}`,
      sipPort: ports.sip,
      rtpPorts: `${ports.sipRtp}-${ports.sipRtp + SIP_RTP_PORTS - 1}`,
      healthPort: ports.sipHealth,
      maxActiveCalls: SIP_RTP_PORTS / 2,
      // A real carrier must reach the bridge (sip/README.md); loopback otherwise.
      listenIp: process.env.PARLEY_SIP_LISTEN_IP,
      externalIp: process.env.PARLEY_SIP_EXTERNAL_IP,
    }),
    { mode: 0o600 },
  );

  const livekitUrl = `ws://127.0.0.1:${ports.livekit}`;
  const url = `http://127.0.0.1:${ports.server}`;
  const processes: ManagedProcess[] = [];
  const commands = new Map<string, { command: string; args: string[]; env?: NodeJS.ProcessEnv }>();
  const spawnOptions = (name: string, env?: NodeJS.ProcessEnv): SpawnOptions => ({
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    onLine: options.onLine ? (line) => options.onLine?.(name, line) : undefined,
  });
  const start = (name: string, command: string, args: string[], env?: NodeJS.ProcessEnv) => {
    const proc = startProcess(name, command, args, spawnOptions(name, env));
    processes.push(proc);
    commands.set(name, { command, args, env });
    return proc;
  };
  const stop = async () => {
    for (const proc of [...processes].reverse()) await stopProcess(proc);
  };

  try {
    const redis = start('redis', 'redis-server', [
      '--port',
      String(ports.redis),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      path.join(stateDir, 'redis'),
    ]);
    await waitFor('Redis', () => tcpOpen(ports.redis), timeout, redis.exited);

    const livekitBin = path.join(TOOLS_BIN, 'livekit-server');
    if (!existsSync(livekitBin)) {
      throw new Error(`${livekitBin} is missing: run \`bash scripts/bootstrap.sh\` first`);
    }
    for (const replica of replicas) {
      const name = replicaName('livekit', replica.n);
      const config = path.join(stateDir, `${name}.yaml`);
      const livekit = start(name, livekitBin, ['--config', config]);
      await waitFor(
        name === 'livekit' ? 'livekit-server' : `livekit-server (${name})`,
        async () => (await httpStatus(`http://127.0.0.1:${replica.ports.livekit}/`)) === 200,
        timeout,
        livekit.exited,
      );
    }

    const sipBin = path.join(TOOLS_BIN, 'livekit-sip');
    if (!existsSync(sipBin)) {
      throw new Error(`${sipBin} is missing: run \`bash scripts/bootstrap.sh\` first`);
    }
    const sip = start('sip', sipBin, ['--config', sipConfig]);
    await waitFor(
      'livekit-sip',
      async () => (await httpStatus(`http://127.0.0.1:${ports.sipHealth}/`)) === 200,
      timeout,
      sip.exited,
    );

    const shared = {
      LIVEKIT_API_KEY: secrets.livekitApiKey,
      LIVEKIT_API_SECRET: secrets.livekitApiSecret,
      PARLEY_AGENT_KEY: secrets.agentKey,
      // Every replica opens what the others sealed.
      PARLEY_SECRETS_KEY: secrets.secretsKey,
    };
    for (const replica of replicas) {
      const name = replicaName('server', replica.n);
      const server = start(name, process.execPath, [NODE_BUNDLES.server.out], {
        ...shared,
        LIVEKIT_URL: replica.livekitUrl,
        PORT: String(replica.ports.server),
        PARLEY_ADMIN_KEY: secrets.adminKey,
        PARLEY_ENV: options.environment ?? 'production',
        PARLEY_DATA_DIR: path.join(stateDir, replicaName('data', replica.n)),
        PARLEY_SIP_HEALTH_URL: `http://127.0.0.1:${ports.sipHealth}/`,
        // Unless told otherwise, loopback callers only: SIP phones on this host.
        PARLEY_SIP_ALLOWED_ADDRESSES: process.env.PARLEY_SIP_ALLOWED_ADDRESSES ?? '127.0.0.1/32',
        // Webhook receivers and tool endpoints of the dev and test stacks run on this host.
        PARLEY_OUTBOUND_ALLOW: process.env.PARLEY_OUTBOUND_ALLOW ?? '127.0.0.0/8,::1/128',
        ...options.serverEnv,
      });
      await waitFor(
        name === 'server' ? 'Parley server' : `Parley server (${name})`,
        async () => (await httpStatus(`${replica.url}/healthz`)) > 0,
        timeout,
        server.exited,
      );
    }

    for (const replica of replicas) {
      const name = replicaName('agent', replica.n);
      const agent = start(name, process.execPath, [NODE_BUNDLES.agent.out, 'start'], {
        ...shared,
        LIVEKIT_URL: replica.livekitUrl,
        PARLEY_SERVER_URL: replica.url,
        PARLEY_AGENT_HTTP_PORT: String(replica.ports.agentHttp),
        PARLEY_SPOOL_DIR: replica.spoolDir,
        ...options.agentEnv,
      });
      // A server is healthy once a worker has told it that it is registered with LiveKit; the
      // servers share what workers say, so the last replica's health waits for every worker.
      const registered = async () => {
        const res = await fetch(`${replica.url}/healthz`).catch(() => undefined);
        const body = (await res?.json().catch(() => undefined)) as
          { status?: string; agentWorkers?: number } | undefined;
        return body?.status === 'ok' && (body.agentWorkers ?? 0) >= replica.n;
      };
      await waitFor(
        name === 'agent'
          ? 'agent worker (registered with livekit-server)'
          : `agent worker (${name})`,
        replicaCount === 1 ? async () => (await httpStatus(`${url}/healthz`)) === 200 : registered,
        timeout,
        agent.exited,
      );
    }
  } catch (err) {
    await stop();
    throw err;
  }

  const firstExit = Promise.race(processes.map((p) => p.exited.then(() => p.name)));
  const restart = async (name: string, downMs = 0): Promise<ManagedProcess> => {
    const index = processes.findIndex((p) => p.name === name);
    const spec = commands.get(name);
    if (index < 0 || !spec) throw new Error(`no stack component named ${name}`);
    await stopProcess(processes[index] as ManagedProcess);
    if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
    const proc = startProcess(name, spec.command, spec.args, spawnOptions(name, spec.env));
    processes[index] = proc;
    return proc;
  };
  const sipAddress = `127.0.0.1:${ports.sip}`;
  return {
    url,
    livekitUrl,
    secrets,
    ports,
    spoolDir,
    sipAddress,
    replicas: replicas.map(({ n, url: u, livekitUrl: l, spoolDir: d }) => ({
      n,
      url: u,
      livekitUrl: l,
      spoolDir: d,
    })),
    processes,
    firstExit,
    restart,
    stop,
  };
}

export { DEFAULT_PORTS, REPO_ROOT };
