import { llm } from '@livekit/agents';
import {
  type Availability,
  AvailabilitySchema,
  type BookAppointmentArgs,
  type BookAppointmentRequest,
  type CaptureLeadArgs,
  type CaptureLeadRequest,
  type LeadScore,
  WebhookToolResultSchema,
} from '@parley/contracts';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { z } from 'zod';
import { CallApiError, type InternalRequest, requestInternal } from '../calls/call-api.js';

export interface ToolApiOptions {
  serverUrl: string;
  agentKey: string;
  /** Resolves once the call record exists. */
  callId(): Promise<string>;
  /** Per request, except webhook tools (their own timeout plus a margin). */
  timeoutMs: number;
  /**
   * Pauses before each retry of a request that is safe to repeat (it carries an idempotency
   * key) after a retryable failure; one retry per entry.
   */
  retryDelaysMs: readonly number[];
  fetch: typeof fetch;
}

const defaults = { timeoutMs: 5_000, retryDelaysMs: [250, 1_000], fetch: globalThis.fetch };

/** How long the server may take beyond a webhook tool's own timeout before it answers 504. */
const WEBHOOK_MARGIN_MS = 5_000;

/**
 * The server's routes behind the agent's tools: leads, appointments, availability and webhook
 * tools of the current call. Throws {@link CallApiError}; {@link throwForModel} turns that into
 * what the model hears.
 */
export class ToolApi {
  readonly #opts: ToolApiOptions;

  constructor(
    opts: Pick<ToolApiOptions, 'serverUrl' | 'agentKey' | 'callId'> & Partial<ToolApiOptions>,
  ) {
    this.#opts = { ...defaults, ...opts };
  }

  /** Stores a captured lead; repeating it with the same arguments stores nothing new. */
  async saveLead(args: CaptureLeadArgs, score: LeadScore, signal?: AbortSignal): Promise<void> {
    const callId = await this.#callId();
    const body: CaptureLeadRequest = {
      key: idempotencyKey(callId, 'capture_lead', args),
      lead: { ...args, ...score },
    };
    await this.#keyedPost(`${callRoute(callId)}/leads`, body, signal);
  }

  /**
   * Books an appointment. The server refuses a taken slot (409 `slot_taken`), one outside
   * business hours (422 `outside_business_hours`) or in the past (422 `in_the_past`).
   */
  async bookAppointment(args: BookAppointmentArgs, signal?: AbortSignal): Promise<void> {
    const callId = await this.#callId();
    const body: BookAppointmentRequest = {
      key: idempotencyKey(callId, 'book_appointment', args),
      appointment: args,
    };
    await this.#keyedPost(`${callRoute(callId)}/appointments`, body, signal);
  }

  /** Free appointment slots, soonest first: from `from` (now) over `days` days (the server's 7). */
  async availability(
    window: { from?: Date; days?: number; limit?: number } = {},
    signal?: AbortSignal,
  ): Promise<Availability> {
    const callId = await this.#callId();
    const query = new URLSearchParams();
    if (window.from) query.set('from', window.from.toISOString());
    if (window.days !== undefined) query.set('days', String(window.days));
    if (window.limit !== undefined) query.set('limit', String(window.limit));
    const route = `${callRoute(callId)}/availability?${query}`;
    const answer = await this.#request({ method: 'GET', route, signal });
    return parseAnswer(AvailabilitySchema, route, answer);
  }

  /** Runs a webhook tool on the server (which holds its URL and secrets); answers its result. */
  async runWebhookTool(
    name: string,
    args: unknown,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<unknown> {
    const callId = await this.#callId();
    const route = `${callRoute(callId)}/tools/${encodeURIComponent(name)}`;
    const answer = await this.#request(
      { method: 'POST', route, body: { args }, signal },
      timeoutMs + WEBHOOK_MARGIN_MS,
    );
    return parseAnswer(WebhookToolResultSchema, route, answer).result ?? null;
  }

  /**
   * The call's id. A call record that could not be created (within the request timeout: the
   * recorder keeps trying while the server is down) counts as the server being unreachable.
   */
  async #callId(): Promise<string> {
    const { timeoutMs } = this.#opts;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`not created within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([this.#opts.callId(), expired]);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new CallApiError('server_unreachable', `the call record is not available: ${reason}`);
    } finally {
      clearTimeout(timer);
    }
  }

  async #keyedPost(route: string, body: unknown, signal?: AbortSignal): Promise<unknown> {
    for (const delayMs of this.#opts.retryDelaysMs) {
      try {
        return await this.#request({ method: 'POST', route, body, signal });
      } catch (error) {
        if (!(error instanceof CallApiError && error.retryable) || signal?.aborted) throw error;
      }
      await sleep(delayMs, undefined, { signal });
    }
    return this.#request({ method: 'POST', route, body, signal });
  }

  #request(req: InternalRequest, timeoutMs = this.#opts.timeoutMs): Promise<unknown> {
    return requestInternal({ ...this.#opts, timeoutMs }, req);
  }
}

const callRoute = (callId: string) => `/internal/calls/${encodeURIComponent(callId)}`;

/** The same tool with the same arguments in the same call always gets the same key. */
export function idempotencyKey(callId: string, tool: string, args: object): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([callId, tool, args]))
    .digest('hex');
  return `${tool}:${digest.slice(0, 40)}`;
}

function parseAnswer<T>(
  schema: z.ZodType<T, z.ZodTypeDef, unknown>,
  route: string,
  body: unknown,
): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new CallApiError('bad_answer', `${route} answered an unexpected body`);
  }
  return parsed.data;
}

/**
 * Rethrows a failed server request of a tool as what the model hears: the server's own message
 * (e.g. the free slots when one is taken), else that `service` cannot be reached right now.
 * Anything else (a bug) is rethrown as is; the framework tells the model "internal error".
 */
export function throwForModel(error: unknown, service: string): never {
  if (error instanceof CallApiError) {
    throw new llm.ToolError(
      error.serverMessage ?? `${service} is not available right now; try again in a moment.`,
    );
  }
  throw error;
}
