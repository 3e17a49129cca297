import { SECRET_REFERENCE, type WebhookTool, type WebhookToolCallBody } from '@parley/contracts';
import { Headers, type Response } from 'undici';
import type { SecretRepo } from '../storage/index.js';
import { SIGNATURE_HEADER, signWebhook } from './webhook-signature.js';
import { DomainError } from '../domain-errors.js';
import { OutgoingRequestRefused, type OutgoingGuard } from '../http/outgoing-guard.js';

/** The most of an endpoint's answer handed back to the model. */
const RESULT_LIMIT_BYTES = 8 * 1024;
/** The most of a failed answer quoted in the error, so the model hears why. */
const ERROR_QUOTE_CHARS = 200;

interface CappedBody {
  text: string;
  truncated: boolean;
}

/** Reads at most `limit` bytes of the body and drops the rest unread. */
async function readCapped(res: Response, limit: number): Promise<CappedBody> {
  if (!res.body) return { text: '', truncated: false };
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size <= limit) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  const truncated = size > limit;
  if (truncated) await reader.cancel();
  return { text: Buffer.concat(chunks).subarray(0, limit).toString('utf8'), truncated };
}

/** JSON when the endpoint says it answered JSON (and it parses); its text otherwise. */
function toResult(res: Response, body: CappedBody): unknown {
  if (!body.truncated && /\bjson\b/i.test(res.headers.get('content-type') ?? '')) {
    try {
      return JSON.parse(body.text) as unknown;
    } catch {
      // Falls back to the text: the model can still read what the endpoint said.
    }
  }
  return body.text;
}

/** Why a request never got an answer: node's fetch hides the reason in `cause`. */
function unreachableReason(err: unknown): string {
  if (err instanceof OutgoingRequestRefused) return err.message;
  const cause = err instanceof Error ? err.cause : undefined;
  if (cause instanceof Error) return 'code' in cause ? String(cause.code) : cause.message;
  return err instanceof Error ? err.message : String(err);
}

/**
 * Runs a persona's webhook tool for the agent: one HTTP request to the site owner's endpoint,
 * with `{{secret.NAME}}` header values filled from the tenant's secrets and the request signed
 * like outgoing webhooks (`parley-signature: t=…,v1=…`, HMAC-SHA256 over `${t}.${body}`).
 * The request goes through the server's outgoing guard (public addresses and the ranges the
 * operator allows; a refusal reaches the model as the reason the tool failed). Redirects are not
 * followed; nothing is recorded here (the agent records the turn).
 */
export class WebhookToolRunner {
  constructor(
    private readonly secrets: SecretRepo,
    private readonly outgoing: OutgoingGuard,
  ) {}

  async run(
    tool: WebhookTool,
    args: Record<string, unknown>,
    call: WebhookToolCallBody['call'],
  ): Promise<unknown> {
    const url = new URL(tool.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new DomainError(
        'tool_failed',
        `tool '${tool.name}' has a ${url.protocol} URL; only http(s) is called`,
      );
    }
    let body = '';
    if (tool.method === 'GET') {
      for (const [name, value] of Object.entries(args)) {
        url.searchParams.append(name, typeof value === 'string' ? value : JSON.stringify(value));
      }
    } else {
      body = JSON.stringify({ args, call } satisfies WebhookToolCallBody);
    }
    const headers = await this.headers(tool);
    const signingKey = await this.secrets.revealOrCreate(tool.signingSecret);
    headers.set(SIGNATURE_HEADER, signWebhook(signingKey, Math.floor(Date.now() / 1000), body));

    const signal = AbortSignal.timeout(tool.timeoutMs);
    let res: Response;
    let answer: CappedBody;
    try {
      res = await this.outgoing.fetch(url, {
        method: tool.method,
        headers,
        body: tool.method === 'GET' ? undefined : body,
        signal,
      });
      answer = await readCapped(res, RESULT_LIMIT_BYTES);
    } catch (err) {
      if (signal.aborted) {
        throw new DomainError(
          'tool_timeout',
          `tool '${tool.name}' did not answer within ${tool.timeoutMs} ms`,
        );
      }
      throw new DomainError(
        'tool_failed',
        `tool '${tool.name}' could not be reached: ${unreachableReason(err)}`,
      );
    }
    if (!res.ok) {
      const quote = answer.text.trim().slice(0, ERROR_QUOTE_CHARS);
      throw new DomainError(
        'tool_failed',
        `tool '${tool.name}' answered HTTP ${res.status}${quote ? `: ${quote}` : ''}`,
      );
    }
    return toResult(res, answer);
  }

  /** The tool's headers with secrets filled in; no error message ever quotes a value. */
  private async headers(tool: WebhookTool): Promise<Headers> {
    const headers = new Headers({ 'user-agent': 'Parley-Tools/0.1' });
    if (tool.method !== 'GET') headers.set('content-type', 'application/json');
    for (const [name, template] of Object.entries(tool.headers)) {
      const values = new Map<string, string>();
      for (const [, secretName = ''] of template.matchAll(SECRET_REFERENCE)) {
        const value = await this.secrets.reveal(secretName);
        if (value === undefined) {
          throw new DomainError(
            'secret_missing',
            `tool '${tool.name}' uses secret '${secretName}', which is not stored; ` +
              `set it with PUT /v1/secrets/${secretName}`,
          );
        }
        values.set(secretName, value);
      }
      const filled = template.replace(
        SECRET_REFERENCE,
        (_whole, secretName: string) => values.get(secretName) ?? '',
      );
      try {
        headers.set(name, filled);
      } catch {
        throw new DomainError(
          'tool_failed',
          `tool '${tool.name}' has header '${name}', which is not a valid HTTP header`,
        );
      }
    }
    return headers;
  }
}
