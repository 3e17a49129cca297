import {
  type CallerHistory,
  CallerHistorySchema,
  type CallLeg,
  type CallWarning,
  INTERNAL_API,
  type TransferDialRequest,
  TransferDialResultSchema,
  type TransferDialResult,
} from '@parley/contracts';
import { ServerClient, type ServerClientOptions } from '../server-api/server-client.js';

export interface PhoneApiOptions extends Pick<ServerClientOptions, 'serverUrl' | 'agentKey'> {
  /** Per request; the transfer dial gets its own, longer one (it waits for the target). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * The server's internal routes a phone call uses: what Parley remembers of a caller, the legs
 * and warnings of a call, and ringing the persona's transfer target. Each throws
 * `ServerApiError`.
 */
export class PhoneApi {
  readonly #server: ServerClient;

  constructor(opts: PhoneApiOptions) {
    this.#server = new ServerClient({
      ...opts,
      timeoutMs: opts.timeoutMs ?? 3_000,
      fetch: opts.fetch ?? globalThis.fetch,
    });
  }

  /** Earlier calls from `phoneNumber` in the tenant. */
  async callerHistory(phoneNumber: string, tenantId?: string): Promise<CallerHistory> {
    return this.#server.requestAs(CallerHistorySchema, {
      method: 'GET',
      path: INTERNAL_API.callerHistory(),
      query: { phoneNumber, tenant: tenantId || undefined },
    });
  }

  async reportLeg(callId: string, leg: CallLeg): Promise<void> {
    await this.#server.request({ method: 'POST', path: INTERNAL_API.callLegs(callId), body: leg });
  }

  async reportWarning(callId: string, warning: CallWarning): Promise<void> {
    const path = INTERNAL_API.callWarnings(callId);
    await this.#server.request({ method: 'POST', path, body: warning });
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
    return this.#server.requestAs(TransferDialResultSchema, {
      method: 'POST',
      path: INTERNAL_API.callTransferDial(callId),
      body: request,
      timeoutMs: (ringTimeoutSeconds + 15) * 1000,
    });
  }
}
