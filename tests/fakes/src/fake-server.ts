import {
  createServer,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * How a fake fails a request or connection it was told to fail:
 * - `refuse`: nothing listens on the port any more (ECONNREFUSED); only with `setDown`.
 * - `reset`: the TCP connection is accepted, then dropped before any answer.
 * - `status`: an HTTP 500 error answer (for a WebSocket, the upgrade is refused with 500).
 * - `drop`: the request is accepted and answered in part, then the connection is cut.
 */
export type FailureMode = 'refuse' | 'reset' | 'status' | 'drop';

/** What a test holds on to: where the fake listens and how to break it. */
export interface FakeControl {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  readonly url: string;
  readonly port: number;
  /** Every request and WebSocket upgrade so far, failed ones included. */
  readonly requests: readonly FakeRequest[];
  /** Fails the next `count` requests or connections. */
  failNext(count: number, mode?: Exclude<FailureMode, 'refuse'>): void;
  /**
   * Starts (or ends) an outage: open connections are cut at once and every new one fails with
   * `mode` until `setDown(false)`.
   */
  setDown(down: boolean, mode?: FailureMode): Promise<void>;
  stop(): Promise<void>;
}

export interface FakeRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  /** The failure injected into this request, if any. */
  failure?: FailureMode;
  at: number;
}

export interface FakeHandlers {
  /** Answers a plain HTTP request; `drop` asks it to cut the answer midway. */
  request?(req: IncomingMessage, res: ServerResponse, drop: boolean): void | Promise<void>;
  /**
   * Decides whether to accept a WebSocket upgrade: undefined to accept, or an HTTP error to
   * refuse it with.
   */
  checkUpgrade?(req: IncomingMessage): HttpError | undefined;
  /** Runs one accepted WebSocket; `drop` asks it to cut the connection midway. */
  socket?(ws: WebSocket, req: IncomingMessage, drop: boolean): void;
}

export interface HttpError {
  status: number;
  body: unknown;
  headers?: OutgoingHttpHeaders;
}

/** The plumbing every protocol fake shares: one HTTP server, WebSockets, injected outages. */
export class FakeServer implements FakeControl {
  readonly requests: FakeRequest[] = [];
  readonly #server: Server;
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #sockets = new Set<Socket>();
  readonly #handlers: FakeHandlers;
  #port = 0;
  #pending: { count: number; mode: Exclude<FailureMode, 'refuse'> } = { count: 0, mode: 'status' };
  #down?: FailureMode;

  constructor(handlers: FakeHandlers) {
    this.#handlers = handlers;
    this.#server = createServer((req, res) => void this.#onRequest(req, res));
    this.#server.on('upgrade', (req, socket, head) => this.#onUpgrade(req, socket, head));
    this.#server.on('connection', (socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  get port(): number {
    return this.#port;
  }

  async listen(port: number): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, '127.0.0.1', () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    this.#port = (this.#server.address() as AddressInfo).port;
    return this;
  }

  failNext(count: number, mode: Exclude<FailureMode, 'refuse'> = 'status'): void {
    this.#pending = { count, mode };
  }

  async setDown(down: boolean, mode: FailureMode = 'refuse'): Promise<void> {
    const wasRefusing = this.#down === 'refuse';
    this.#down = down ? mode : undefined;
    if (down) this.#cutAll();
    if (down && mode === 'refuse' && !wasRefusing) {
      await new Promise<void>((resolve) => this.#server.close(() => resolve()));
    } else if (!down && wasRefusing) {
      await this.listen(this.#port);
    }
  }

  async stop(): Promise<void> {
    this.#cutAll();
    if (!this.#server.listening) return;
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #cutAll(): void {
    for (const ws of this.#wss.clients) ws.terminate();
    for (const socket of this.#sockets) socket.destroy();
  }

  #nextFailure(): FailureMode | undefined {
    if (this.#down) return this.#down;
    if (this.#pending.count <= 0) return undefined;
    this.#pending.count -= 1;
    return this.#pending.mode;
  }

  #record(req: IncomingMessage, failure: FailureMode | undefined): void {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    this.requests.push({
      method: req.method ?? 'GET',
      path,
      headers: req.headers,
      failure,
      at: Date.now(),
    });
  }

  async #onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const failure = this.#nextFailure();
    this.#record(req, failure);
    if (failure === 'reset' || failure === 'refuse') {
      req.socket.destroy();
      return;
    }
    if (failure === 'status') {
      sendJson(res, { status: 500, body: { error: 'injected outage' } });
      return;
    }
    if (!this.#handlers.request) {
      sendJson(res, { status: 404, body: { error: 'not found' } });
      return;
    }
    try {
      await this.#handlers.request(req, res, failure === 'drop');
    } catch (error) {
      if (!res.headersSent) sendJson(res, { status: 500, body: { error: String(error) } });
      else res.destroy();
    }
  }

  #onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const failure = this.#nextFailure();
    this.#record(req, failure);
    if (failure === 'reset' || failure === 'refuse') {
      socket.destroy();
      return;
    }
    const refusal =
      failure === 'status'
        ? { status: 500, body: { error: 'injected outage' } }
        : this.#handlers.socket
          ? this.#handlers.checkUpgrade?.(req)
          : { status: 404, body: { error: 'not found' } };
    if (refusal) {
      refuseUpgrade(socket, refusal);
      return;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      this.#handlers.socket?.(ws, req, failure === 'drop');
    });
  }
}

export function sendJson(res: ServerResponse, { status, body, headers }: HttpError): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function refuseUpgrade(socket: Duplex, { status, body }: HttpError): void {
  const text = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} Error\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
  );
}

/** Reads a request body as a Buffer. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
