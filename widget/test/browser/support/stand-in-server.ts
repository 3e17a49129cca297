import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the stand-in answers `POST /v1/sessions`. */
export type SessionAnswer =
  { kind: 'session' } | { kind: 'error'; status: number; code: string; message: string };

const SESSION: SessionAnswer = { kind: 'session' };

/** Every `parley-*` DOM event the element fires. */
export const PARLEY_EVENTS = [
  'parley-request-start',
  'parley-state',
  'parley-connected',
  'parley-transcript',
  'parley-ended',
  'parley-error',
  'parley-tool-call',
  'parley-continued-on-phone',
] as const;

/** Page script: records every `parley-*` event reaching `document` in `window.parleyLog`. */
const EVENT_LOG =
  `window.parleyLog = []; for (const type of ${JSON.stringify(PARLEY_EVENTS)}) ` +
  `document.addEventListener(type, (event) => window.parleyLog.push({ type, detail: event.detail }));`;

/**
 * A tiny HTTP server in the test process that stands in for the Parley server: it serves the test
 * pages and the widget bundle, answers `GET /v1/widget-config` and `POST /v1/sessions` (with a
 * session for the stand-in room, or the error it is told to give), and records what it was asked.
 */
export class StandInServer {
  /** Bodies of the `POST /v1/sessions` requests, oldest first. */
  readonly sessionRequests: unknown[] = [];
  /** The persona's widget configuration (`consent`, `continueOnPhone`). */
  widgetConfig: object = {};
  sessionAnswer: SessionAnswer = SESSION;
  readonly #pages = new Map<string, string>();
  readonly #server = createServer((request, response) => this.#answer(request, response));

  private constructor(readonly bundle: string) {}

  /** Listens on a free loopback port. */
  static async start(bundle: string): Promise<StandInServer> {
    const server = new StandInServer(bundle);
    await new Promise<void>((resolve, reject) => {
      server.#server.once('error', reject);
      server.#server.listen(0, '127.0.0.1', resolve);
    });
    return server;
  }

  get origin(): string {
    const { port } = this.#server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** Forgets the previous test's answers and requests. */
  reset(): void {
    this.sessionRequests.length = 0;
    this.widgetConfig = {};
    this.sessionAnswer = SESSION;
  }

  /** Serves a page whose body is `body`, with the widget bundle loaded; returns its URL. */
  page(body: string): string {
    const path = `/page-${this.#pages.size + 1}`;
    this.#pages.set(
      path,
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Stand-in page</title>` +
        `<script>${EVENT_LOG}</script>` +
        `<script type="module" src="/parley-voice.js"></script></head><body>${body}</body></html>`,
    );
    return `${this.origin}${path}`;
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve, reject) =>
      this.#server.close((error) => (error ? reject(error) : resolve())),
    );
  }

  #answer(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', this.origin);
    const page = this.#pages.get(url.pathname);
    if (page !== undefined) return send(response, 200, 'text/html; charset=utf-8', page);
    if (url.pathname === '/parley-voice.js') {
      // cacheable, so Chromium compiles it once per suite file rather than once per page
      return send(response, 200, 'text/javascript; charset=utf-8', this.bundle, 'max-age=600');
    }
    if (url.pathname === '/v1/widget-config' && request.method === 'GET') {
      return sendJson(response, 200, this.widgetConfig);
    }
    if (url.pathname === '/v1/sessions' && request.method === 'POST') {
      void readJson(request).then(
        (body) => this.#answerSession(body, response),
        (error: unknown) =>
          sendJson(response, 400, { error: { code: 'invalid_request', message: String(error) } }),
      );
      return;
    }
    sendJson(response, 404, {
      error: { code: 'not_found', message: `${url.pathname} is not here` },
    });
  }

  #answerSession(body: unknown, response: ServerResponse): void {
    this.sessionRequests.push(body);
    const answer = this.sessionAnswer;
    if (answer.kind === 'error') {
      return sendJson(response, answer.status, {
        error: { code: answer.code, message: answer.message },
      });
    }
    const n = this.sessionRequests.length;
    sendJson(response, 200, {
      serverUrl: 'wss://livekit.stand-in.invalid',
      token: `stand-in-token:visitor-${n}`,
      roomName: `room-${n}`,
      identity: `visitor-${n}`,
      expiresAt: new Date(Date.now() + 600_000).toISOString(),
    });
  }
}

function send(
  response: ServerResponse,
  status: number,
  type: string,
  body: string,
  cache = 'no-store',
): void {
  response.writeHead(status, { 'content-type': type, 'cache-control': cache });
  response.end(body);
}

function sendJson(response: ServerResponse, status: number, body: object): void {
  send(response, status, 'application/json', JSON.stringify(body));
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
}
