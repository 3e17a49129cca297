import {
  type CallerHistory,
  CallerHistorySchema,
  type CallLeg,
  type CallWarning,
  type TransferDialRequest,
  TransferDialResultSchema,
  type TransferDialResult,
} from '@parley/contracts';
import { CallApiError, requestInternal } from '../calls/call-api.js';

export interface PhoneApiOptions {
  serverUrl: string;
  agentKey: string;
  /** Per request; the transfer dial gets its own, longer one (it waits for the target). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * The server's `/internal` routes a phone call uses: what Parley remembers of a caller, the legs
 * and warnings of a call, and ringing the persona's transfer target.
 */
export class PhoneApi {
  readonly #opts: Required<PhoneApiOptions>;

  constructor(opts: PhoneApiOptions) {
    this.#opts = { timeoutMs: 3_000, fetch: globalThis.fetch, ...opts };
  }

  /** Earlier calls from `phoneNumber` in the tenant; throws {@link CallApiError}. */
  async callerHistory(phoneNumber: string, tenantId?: string): Promise<CallerHistory> {
    const query = new URLSearchParams({ phoneNumber });
    if (tenantId) query.set('tenant', tenantId);
    const body = await this.#request('GET', `/internal/caller-history?${query.toString()}`);
    const parsed = CallerHistorySchema.safeParse(body);
    if (!parsed.success) {
      throw new CallApiError('bad_answer', 'GET /internal/caller-history answered no history');
    }
    return parsed.data;
  }

  async reportLeg(callId: string, leg: CallLeg): Promise<void> {
    await this.#request('POST', `/internal/calls/${encodeURIComponent(callId)}/legs`, leg);
  }

  async reportWarning(callId: string, warning: CallWarning): Promise<void> {
    await this.#request('POST', `/internal/calls/${encodeURIComponent(callId)}/warnings`, warning);
  }

  /**
   * Rings the persona's transfer target into `request.roomName`; resolves once it answered or
   * gave up (`ringTimeoutSeconds`, so the request may take that long).
   */
  async transferDial(
    callId: string,
    request: TransferDialRequest,
    ringTimeoutSeconds: number,
  ): Promise<TransferDialResult> {
    const route = `/internal/calls/${encodeURIComponent(callId)}/transfer-dial`;
    const timeoutMs = (ringTimeoutSeconds + 15) * 1000;
    const body = await this.#request('POST', route, request, timeoutMs);
    const parsed = TransferDialResultSchema.safeParse(body);
    if (!parsed.success) throw new CallApiError('bad_answer', `POST ${route} answered no status`);
    return parsed.data;
  }

  #request(method: 'GET' | 'POST', route: string, body?: unknown, timeoutMs?: number) {
    const { serverUrl, agentKey, fetch } = this.#opts;
    return requestInternal(
      { serverUrl, agentKey, fetch, timeoutMs: timeoutMs ?? this.#opts.timeoutMs },
      { method, route, body },
    );
  }
}
