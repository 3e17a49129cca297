import {
  type CallClose,
  type CallInput,
  CallRefSchema,
  INTERNAL_API,
  type TurnAppend,
  type TurnInput,
} from '@parley/contracts';
import { ServerApiError } from '../server-api/server-api-error.js';
import { ServerClient, type ServerClientOptions } from '../server-api/server-client.js';

/** One request of a call record, in the order the server must see them. */
export type CallOp =
  | { type: 'create'; call: CallInput }
  | { type: 'turn'; key: string; turn: TurnInput }
  | { type: 'close'; close: CallClose };

/**
 * The call record's routes of the server's internal API. Each op is sent once: the recorder
 * and the spool flusher decide when to send it again (every op is safe to repeat: the create is
 * idempotent per room, turns per key, and the first close wins).
 */
export class CallApi {
  readonly #server: ServerClient;

  constructor(
    opts: Pick<ServerClientOptions, 'serverUrl' | 'agentKey'> & Partial<ServerClientOptions>,
  ) {
    this.#server = new ServerClient(opts);
  }

  /**
   * Sends one op. `callId` is required for turns and closes; a create answers the new call's
   * id. `signal` abandons the request (it then counts as unreachable). Throws
   * {@link ServerApiError}.
   */
  async send(op: CallOp, callId: string | undefined, signal?: AbortSignal): Promise<string> {
    if (op.type === 'create') {
      const path = INTERNAL_API.calls();
      const created = await this.#server.requestAs(CallRefSchema, {
        method: 'POST',
        path,
        body: op.call,
        signal,
      });
      return created.id;
    }
    if (callId === undefined) {
      throw new ServerApiError('rejected', `cannot send a ${op.type} without a call id`);
    }
    if (op.type === 'turn') {
      const body: TurnAppend = { key: op.key, turn: op.turn };
      await this.#server.request({
        method: 'POST',
        path: INTERNAL_API.callTurns(callId),
        body,
        signal,
      });
    } else {
      const path = INTERNAL_API.callClose(callId);
      await this.#server.request({ method: 'POST', path, body: op.close, signal });
    }
    return callId;
  }
}
