/**
 * Test support: the real Parley server (its Express app on an embedded PGlite database) in this
 * process, which a test can stop and start again on the same port, and a proxy in front of it
 * that can cut the connection after the server has answered.
 */
import {
  createApp,
  LOOPBACK_RANGES,
  OutgoingGuard,
  SessionIssuer,
  Storage,
  Tenancy,
  WorkerRegistry,
} from '@parley/server';
import type { CallDetail } from '@parley/contracts';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pglite } from '@parley/server/testing';

export const AGENT_KEY = 'agent-key-for-call-recording-tests';

export class ParleyTestServer {
  #server?: Server;
  #port = 0;

  private constructor(
    readonly storage: Storage,
    readonly tenantId: string,
  ) {}

  /** Opens a fresh migrated database and starts the app on a free port. */
  static async start(): Promise<ParleyTestServer> {
    const storage = await Storage.open(await pglite.fresh());
    const tenant = await storage.ensureDefaultTenant();
    const server = new ParleyTestServer(storage, tenant.id);
    await server.resume();
    return server;
  }

  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  get port(): number {
    return this.#port;
  }

  /** Starts listening again, on the port it had before (a free one the first time). */
  async resume(): Promise<void> {
    const app = createApp({
      tenancy: new Tenancy({ storage: this.storage, defaultTenantId: this.tenantId }),
      issuer: new SessionIssuer({
        apiKey: 'APIcalltests',
        apiSecret: 'call-tests-secret-call-tests-secret-0123',
        serverUrl: 'ws://127.0.0.1:7880',
        ttlSeconds: 600,
      }),
      workers: new WorkerRegistry(this.storage.db),
      livekitReady: async () => true,
      livekitApiKey: 'APIcalltests',
      livekitApiSecret: 'call-tests-secret-call-tests-secret-0123',
      onLivekitEvent: () => undefined,
      adminKey: 'admin-key-for-call-recording-tests',
      agentKey: AGENT_KEY,
      sessionRatePerMinute: 1000,
      personaSessionRatePerMinute: 1000,
      development: false,
      // Webhook tools in these tests call endpoints on loopback, as in the test stack.
      outgoing: new OutgoingGuard({ allow: LOOPBACK_RANGES }),
    });
    const server = app.listen(this.#port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    this.#port = (server.address() as AddressInfo).port;
    this.#server = server;
  }

  /** Stops listening and cuts every open connection: the server is unreachable. */
  async pause(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  async stop(): Promise<void> {
    await this.pause();
    await this.storage.close();
  }

  /** The stored call of a room, with its turns. */
  async callOfRoom(roomName: string): Promise<CallDetail | undefined> {
    const calls = this.storage.forTenant(this.tenantId).calls;
    const call = await calls.getByRoom(roomName);
    return call && calls.get(call.id);
  }
}

/**
 * Forwards requests to `target`. `dropAnswers(pattern, n)` makes the next `n` requests whose
 * path matches reach the server, which processes them, but their answer never comes back: the
 * connection is cut instead. Counts the requests per path.
 */
export class DroppingProxy {
  readonly requests: string[] = [];
  readonly #rules: { pattern: RegExp; remaining: number }[] = [];
  readonly #server: Server;

  private constructor(private readonly target: string) {
    this.#server = createServer((req, res) => {
      this.#forward(req, res).catch(() => req.socket.destroy());
    });
  }

  static async start(target: string): Promise<DroppingProxy> {
    const proxy = new DroppingProxy(target);
    proxy.#server.listen(0, '127.0.0.1');
    await once(proxy.#server, 'listening');
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async #forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = req.url ?? '/';
    this.requests.push(`${req.method} ${path}`);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string' && name !== 'host' && name !== 'connection') {
        headers.set(name, value);
      }
    }
    const answer = await fetch(`${this.target}${path}`, {
      method: req.method,
      headers,
      body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
    });
    const body = Buffer.from(await answer.arrayBuffer());
    const rule = this.#rules.find((r) => r.remaining > 0 && r.pattern.test(path));
    if (rule) {
      rule.remaining--;
      req.socket.destroy();
      return;
    }
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? '' });
    res.end(body);
  }

  dropAnswers(pattern: RegExp, count: number): void {
    this.#rules.push({ pattern, remaining: count });
  }

  count(pattern: RegExp): number {
    return this.requests.filter((r) => pattern.test(r)).length;
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    await closed;
  }
}

/** A logger that keeps what it is told, for assertions (and keeps test output quiet). */
export function memoryLogger(): {
  lines: { level: string; msg: string; obj: object }[];
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
} {
  const lines: { level: string; msg: string; obj: object }[] = [];
  return {
    lines,
    info: (obj, msg) => void lines.push({ level: 'info', msg, obj }),
    warn: (obj, msg) => void lines.push({ level: 'warn', msg, obj }),
    error: (obj, msg) => void lines.push({ level: 'error', msg, obj }),
  };
}
