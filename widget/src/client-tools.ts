import { RpcError, type RpcInvocationData } from 'livekit-client';

/** The arguments the agent passes: a JSON object. */
export type ToolArguments = Readonly<Record<string, unknown>>;

/** What the agent learns about a client tool: a description and a JSON Schema of its arguments. */
export interface ClientToolSchema {
  readonly description?: string;
  /** JSON Schema of the arguments object. */
  readonly parameters?: Readonly<Record<string, unknown>>;
}

export interface ClientToolContext {
  /** Aborted when the tool runs out of time or the call ends: stop work then. */
  readonly signal: AbortSignal;
  /** Identity of the participant (the agent) that called the tool. */
  readonly callerIdentity: string;
}

/** Returns anything JSON can encode (or a promise of it). Throw to report a failure to the agent. */
export type ClientToolHandler = (args: ToolArguments, context: ClientToolContext) => unknown;

export interface ClientTool {
  readonly name: string;
  readonly schema: ClientToolSchema;
  readonly handler: ClientToolHandler;
}

/** One finished tool call, as reported by `parley-tool-call`. */
export interface ToolCallRecord {
  readonly name: string;
  /** The parsed arguments; `undefined` when the payload was not a JSON object. */
  readonly args: ToolArguments | undefined;
  /** What the handler returned (present when it succeeded). */
  readonly result?: unknown;
  /** Why the call failed (present when it did). */
  readonly error?: string;
}

/** The part of a LiveKit `Room` that client tools need. */
export interface RpcHost {
  registerRpcMethod(method: string, handler: (data: RpcInvocationData) => Promise<string>): void;
  unregisterRpcMethod(method: string): void;
}

export interface ClientToolsOptions {
  /** Longest a handler may run; the agent's own response timeout shortens it further. */
  timeoutMs: number;
  /** Told about every call, successful or not. */
  onCall: (record: ToolCallRecord) => void;
}

const defaultOptions: ClientToolsOptions = { timeoutMs: 10_000, onCall: () => undefined };

/** Time kept back from the caller's response timeout, for the answer to travel back. */
const RESPONSE_MARGIN_MS = 1_000;

const TOOL_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;

/**
 * The page's client tools. Each is exposed to the agent as a LiveKit RPC method of the same name
 * on the room that is bound (the current call's), and stays registered across calls.
 */
export class ClientTools {
  readonly #tools = new Map<string, ClientTool>();
  readonly #options: ClientToolsOptions;
  #host: RpcHost | undefined;
  #abort = new AbortController();

  constructor(options: Partial<ClientToolsOptions> = {}) {
    this.#options = { ...defaultOptions, ...options };
  }

  /** Registered tools, in registration order. */
  get definitions(): Array<{ name: string } & ClientToolSchema> {
    return [...this.#tools.values()].map(({ name, schema }) => ({ name, ...schema }));
  }

  /** Adds (or replaces) a tool; returns a function that removes it. Throws on a bad name. */
  register(name: string, schema: ClientToolSchema, handler: ClientToolHandler): () => void {
    if (!TOOL_NAME.test(name)) {
      throw new TypeError(
        `client tool name "${name}" must start with a letter or _ and use only letters, digits, _ . -`,
      );
    }
    if (typeof handler !== 'function') {
      throw new TypeError(`client tool "${name}" needs a handler function`);
    }
    const tool: ClientTool = { name, schema, handler };
    if (this.#tools.has(name)) this.#host?.unregisterRpcMethod(name);
    this.#tools.set(name, tool);
    this.#expose(tool);
    return () => {
      if (this.#tools.get(name) !== tool) return;
      this.#tools.delete(name);
      this.#host?.unregisterRpcMethod(name);
    };
  }

  /** Exposes every tool on `host` (the room of a new call). */
  bind(host: RpcHost): void {
    this.unbind();
    this.#host = host;
    this.#abort = new AbortController();
    for (const tool of this.#tools.values()) this.#expose(tool);
  }

  /** Withdraws the tools from the bound room and aborts calls still running. */
  unbind(): void {
    const host = this.#host;
    this.#host = undefined;
    this.#abort.abort();
    if (host) for (const name of this.#tools.keys()) host.unregisterRpcMethod(name);
  }

  #expose(tool: ClientTool): void {
    this.#host?.registerRpcMethod(tool.name, (data) => this.#answer(tool, data));
  }

  async #answer(tool: ClientTool, data: RpcInvocationData): Promise<string> {
    const callerTimeout = data.responseTimeout - RESPONSE_MARGIN_MS;
    const timeoutMs =
      callerTimeout > 0
        ? Math.min(this.#options.timeoutMs, callerTimeout)
        : this.#options.timeoutMs;
    let args: ToolArguments | undefined;
    try {
      args = parseArguments(tool.name, data.payload);
      const result = await runHandler(tool, args, {
        timeoutMs,
        callerIdentity: data.callerIdentity,
        signal: this.#abort.signal,
      });
      const payload = encodeResult(tool.name, result);
      this.#options.onCall({ name: tool.name, args, result });
      return payload;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.#options.onCall({ name: tool.name, args, error: message });
      throw error instanceof RpcError
        ? error
        : new RpcError(RpcError.ErrorCode.APPLICATION_ERROR, truncate(message), undefined, {
            cause: error,
          });
    }
  }
}

/** An empty payload is no arguments; anything else must be a JSON object. */
export function parseArguments(name: string, payload: string): ToolArguments {
  if (payload.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    throw new Error(`client tool "${name}" got arguments that are not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`client tool "${name}" expects a JSON object of arguments`);
  }
  return value as ToolArguments;
}

interface RunOptions {
  timeoutMs: number;
  callerIdentity: string;
  /** Aborts the run from outside (the call ended). */
  signal: AbortSignal;
}

/** Runs the handler; rejects when it throws, or does not settle within `timeoutMs`. */
export async function runHandler(
  tool: ClientTool,
  args: ToolArguments,
  { timeoutMs, callerIdentity, signal }: RunOptions,
): Promise<unknown> {
  const abort = new AbortController();
  const forward = (): void => abort.abort();
  signal.addEventListener('abort', forward, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abort.abort();
      reject(
        new Error(`client tool "${tool.name}" did not answer within ${formatSeconds(timeoutMs)}`),
      );
    }, timeoutMs);
  });
  try {
    const run = Promise.resolve().then(() =>
      tool.handler(args, { signal: abort.signal, callerIdentity }),
    );
    return await Promise.race([
      run.catch((error: unknown) => {
        // a handler that chose its own RPC error code keeps it
        if (error instanceof RpcError) throw error;
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`client tool "${tool.name}" failed: ${reason}`, { cause: error });
      }),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', forward);
  }
}

/** `undefined` becomes `null`; values JSON cannot encode are the tool's failure. */
export function encodeResult(name: string, result: unknown): string {
  let payload: string | undefined;
  try {
    payload = JSON.stringify(result === undefined ? null : result);
  } catch (cause) {
    throw new Error(`client tool "${name}" returned a value that is not JSON`, { cause });
  }
  if (payload === undefined) {
    throw new Error(`client tool "${name}" returned a value that is not JSON`);
  }
  return payload;
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

/** RPC error messages are capped at 256 bytes on the wire. */
function truncate(message: string): string {
  return message.length > 200 ? `${message.slice(0, 199)}…` : message;
}
