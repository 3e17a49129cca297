import {
  DispatchMetadataSchema,
  PersonaSchema,
  type DispatchMetadata,
  type Persona,
} from '@parley/contracts';

export type PersonaLoadErrorCode =
  | 'invalid_metadata'
  | 'persona_not_found'
  | 'unauthorized'
  | 'server_unreachable'
  | 'server_error'
  | 'invalid_persona';

/** The persona for a call could not be loaded; `retryable` says whether trying again may help. */
export class PersonaLoadError extends Error {
  override readonly name = 'PersonaLoadError';
  readonly retryable: boolean;
  constructor(
    readonly code: PersonaLoadErrorCode,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.retryable = code === 'server_unreachable' || code === 'server_error';
  }
}

/** Reads the dispatch metadata (`ctx.job.metadata`) the server attached to the call. */
export function parseDispatchMetadata(metadata: string): DispatchMetadata {
  let json: unknown;
  try {
    json = JSON.parse(metadata);
  } catch {
    throw new PersonaLoadError('invalid_metadata', 'dispatch metadata is not JSON');
  }
  const parsed = DispatchMetadataSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PersonaLoadError(
      'invalid_metadata',
      `dispatch metadata is invalid: ${issue?.path.join('.') || '(root)'} ${issue?.message ?? ''}`,
    );
  }
  return parsed.data;
}

export interface PersonaClientOptions {
  serverUrl: string;
  agentKey: string;
  /** Per request. */
  timeoutMs: number;
  /** Attempts for retryable failures (unreachable server, 5xx). */
  attempts: number;
  retryDelayMs: number;
  fetch: typeof fetch;
  /**
   * The tenant the dispatch named (`DispatchMetadata.tenantId`): personas, handoff targets
   * included, are looked up in it. The default tenant when absent.
   */
  tenantId?: string;
}

const defaults = { timeoutMs: 5_000, attempts: 3, retryDelayMs: 300 };

/** Fetches personas from the Parley server's internal API with the agent's service credential. */
export class PersonaClient {
  readonly #opts: PersonaClientOptions;

  constructor(
    opts: Pick<PersonaClientOptions, 'serverUrl' | 'agentKey'> & Partial<PersonaClientOptions>,
  ) {
    this.#opts = { fetch: globalThis.fetch, ...defaults, ...opts };
  }

  async get(personaId: string): Promise<Persona> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#getOnce(personaId);
      } catch (error) {
        const retry =
          error instanceof PersonaLoadError && error.retryable && attempt < this.#opts.attempts;
        if (!retry) throw error;
        await new Promise((resolve) => setTimeout(resolve, this.#opts.retryDelayMs * attempt));
      }
    }
  }

  async #getOnce(personaId: string): Promise<Persona> {
    const { tenantId } = this.#opts;
    const query = tenantId ? `?tenant=${encodeURIComponent(tenantId)}` : '';
    const url = `${this.#opts.serverUrl}/internal/personas/${encodeURIComponent(personaId)}${query}`;
    let res: Response;
    try {
      res = await this.#opts.fetch(url, {
        headers: { authorization: `Bearer ${this.#opts.agentKey}`, accept: 'application/json' },
        signal: AbortSignal.timeout(this.#opts.timeoutMs),
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new PersonaLoadError('server_unreachable', `cannot reach ${url}: ${reason}`);
    }
    if (res.status === 404) {
      throw new PersonaLoadError('persona_not_found', `no persona '${personaId}'`, 404);
    }
    if (res.status === 401 || res.status === 403) {
      throw new PersonaLoadError(
        'unauthorized',
        `the server refused the agent key (${res.status}); check PARLEY_AGENT_KEY`,
        res.status,
      );
    }
    if (!res.ok) {
      const code = res.status >= 500 ? 'server_error' : 'invalid_persona';
      throw new PersonaLoadError(code, `GET ${url} answered ${res.status}`, res.status);
    }
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      throw new PersonaLoadError('invalid_persona', `GET ${url} did not answer JSON`, res.status);
    }
    const parsed = PersonaSchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new PersonaLoadError(
        'invalid_persona',
        `persona '${personaId}' is invalid: ${issue?.path.join('.')} ${issue?.message ?? ''}`,
        res.status,
      );
    }
    return parsed.data;
  }
}
