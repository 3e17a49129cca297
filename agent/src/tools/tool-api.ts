import { llm } from '@livekit/agents';
import {
  type Availability,
  AvailabilitySchema,
  type BookAppointmentArgs,
  type BookAppointmentRequest,
  type CaptureLeadArgs,
  type CaptureLeadRequest,
  INTERNAL_API,
  type LeadScore,
  type ScheduleCallbackRequest,
  type ScheduledCallback,
  ScheduledCallbackSchema,
  WebhookToolResultSchema,
} from '@parley/contracts';
import { createHash } from 'node:crypto';
import { ServerApiError } from '../server-api/server-api-error.js';
import { ServerClient, type ServerClientOptions } from '../server-api/server-client.js';

export interface ToolApiOptions extends ServerClientOptions {
  /** Resolves once the call record exists. */
  callId(): Promise<string>;
  /** Per request, except webhook tools (their own timeout plus a margin). */
  timeoutMs: number;
  /**
   * Pauses before each retry of a request that is safe to repeat (it carries an idempotency
   * key) after a retryable failure; one retry per entry.
   */
  retryDelaysMs: readonly number[];
}

const defaults = { timeoutMs: 5_000, retryDelaysMs: [250, 1_000] };

/** How long the server may take beyond a webhook tool's own timeout before it answers 504. */
const WEBHOOK_MARGIN_MS = 5_000;

/**
 * The server's routes behind the agent's tools: leads, appointments, availability, opt-outs,
 * call backs and webhook tools of the current call. Throws {@link ServerApiError}; {@link throwForModel} turns that
 * into what the model hears.
 */
export class ToolApi {
  readonly #opts: Pick<ToolApiOptions, 'callId' | 'timeoutMs' | 'retryDelaysMs'>;
  readonly #server: ServerClient;

  constructor(
    opts: Pick<ToolApiOptions, 'serverUrl' | 'agentKey' | 'callId'> & Partial<ToolApiOptions>,
  ) {
    const full = { ...defaults, ...opts };
    this.#opts = full;
    this.#server = new ServerClient(full);
  }

  /** Stores a captured lead; repeating it with the same arguments stores nothing new. */
  async saveLead(args: CaptureLeadArgs, score: LeadScore, signal?: AbortSignal): Promise<void> {
    const callId = await this.#callId();
    const body: CaptureLeadRequest = {
      key: idempotencyKey(callId, 'capture_lead', args),
      lead: { ...args, ...score },
    };
    await this.#keyedPost(INTERNAL_API.callLeads(callId), body, signal);
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
    await this.#keyedPost(INTERNAL_API.callAppointments(callId), body, signal);
  }

  /** Free appointment slots, soonest first: from `from` (now) over `days` days (the server's 7). */
  async availability(
    window: { from?: Date; days?: number; limit?: number } = {},
    signal?: AbortSignal,
  ): Promise<Availability> {
    const callId = await this.#callId();
    return this.#server.requestAs(AvailabilitySchema, {
      method: 'GET',
      path: INTERNAL_API.callAvailability(callId),
      query: {
        from: window.from?.toISOString(),
        days: window.days?.toString(),
        limit: window.limit?.toString(),
      },
      signal,
    });
  }

  /** Puts the call's own number on the do-not-call list; asking again changes nothing. */
  async optOut(signal?: AbortSignal): Promise<void> {
    const callId = await this.#callId();
    await this.#keyedPost(INTERNAL_API.callOptOut(callId), {}, signal);
  }

  /**
   * Schedules a call back to the call's own number at `request.at` (or the next calling hours);
   * the same time asked again schedules nothing new. The server refuses a call without a phone
   * number (409 `no_caller_number`), a number that may not be dialled (403) or a past time (422).
   */
  async scheduleCallback(
    request: ScheduleCallbackRequest,
    signal?: AbortSignal,
  ): Promise<ScheduledCallback> {
    const callId = await this.#callId();
    return this.#server.requestAs(ScheduledCallbackSchema, {
      method: 'POST',
      path: INTERNAL_API.callCallbacks(callId),
      body: request,
      signal,
      retryDelaysMs: this.#opts.retryDelaysMs,
    });
  }

  /** Runs a webhook tool on the server (which holds its URL and secrets); answers its result. */
  async runWebhookTool(
    name: string,
    args: unknown,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<unknown> {
    const callId = await this.#callId();
    const answer = await this.#server.requestAs(WebhookToolResultSchema, {
      method: 'POST',
      path: INTERNAL_API.callTool(callId, name),
      body: { args },
      signal,
      timeoutMs: timeoutMs + WEBHOOK_MARGIN_MS,
    });
    return answer.result ?? null;
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
      throw new ServerApiError('server_unreachable', `the call record is not available: ${reason}`);
    } finally {
      clearTimeout(timer);
    }
  }

  async #keyedPost(path: string, body: unknown, signal?: AbortSignal): Promise<void> {
    const { retryDelaysMs } = this.#opts;
    await this.#server.request({ method: 'POST', path, body, signal, retryDelaysMs });
  }
}

/** The same tool with the same arguments in the same call always gets the same key. */
export function idempotencyKey(callId: string, tool: string, args: object): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([callId, tool, args]))
    .digest('hex');
  return `${tool}:${digest.slice(0, 40)}`;
}

/**
 * Rethrows a failed server request of a tool as what the model hears: the server's own message
 * (e.g. the free slots when one is taken), else that `service` cannot be reached right now.
 * Anything else (a bug) is rethrown as is; the framework tells the model "internal error".
 */
export function throwForModel(error: unknown, service: string): never {
  if (error instanceof ServerApiError) {
    throw new llm.ToolError(
      error.serverMessage ?? `${service} is not available right now; try again in a moment.`,
    );
  }
  throw error;
}
