import {
  DispatchMetadataSchema,
  INTERNAL_API,
  PersonaSchema,
  type DispatchMetadata,
  type Persona,
  type PersonaQuery,
} from '@parley/contracts';
import { ServerApiError } from '../server-api/server-api-error.js';
import { ServerClient, type ServerClientOptions } from '../server-api/server-client.js';

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

export interface PersonaClientOptions extends ServerClientOptions {
  /** Attempts for retryable failures (unreachable server, 5xx, 408, 429). */
  attempts: number;
  /** The pause before the n-th retry is n times this. */
  retryDelayMs: number;
  /**
   * The tenant the dispatch named (`DispatchMetadata.tenantId`): personas, handoff targets
   * included, are looked up in it. The default tenant when absent.
   */
  tenantId?: string;
}

const defaults = { timeoutMs: 5_000, attempts: 3, retryDelayMs: 300 };

/** Fetches personas from the Parley server's internal API with the agent's service credential. */
export class PersonaClient {
  readonly #opts: Pick<PersonaClientOptions, 'attempts' | 'retryDelayMs' | 'tenantId'>;
  readonly #server: ServerClient;

  constructor(
    opts: Pick<PersonaClientOptions, 'serverUrl' | 'agentKey'> & Partial<PersonaClientOptions>,
  ) {
    const full = { ...defaults, ...opts };
    this.#opts = full;
    this.#server = new ServerClient(full);
  }

  async get(personaId: string): Promise<Persona> {
    const { attempts, retryDelayMs, tenantId } = this.#opts;
    const query: PersonaQuery = { tenant: tenantId || undefined };
    let body: unknown;
    try {
      body = await this.#server.request({
        method: 'GET',
        path: INTERNAL_API.persona(personaId),
        query,
        retryDelaysMs: Array.from({ length: attempts - 1 }, (_, i) => retryDelayMs * (i + 1)),
      });
    } catch (error) {
      if (error instanceof ServerApiError) throw loadErrorOf(error, personaId);
      throw error;
    }
    const parsed = PersonaSchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new PersonaLoadError(
        'invalid_persona',
        `persona '${personaId}' is invalid: ${issue?.path.join('.')} ${issue?.message ?? ''}`,
      );
    }
    return parsed.data;
  }
}

/** What a failed persona request means for the job. */
function loadErrorOf(error: ServerApiError, personaId: string): PersonaLoadError {
  const { status } = error;
  if (status === 404) {
    return new PersonaLoadError('persona_not_found', `no persona '${personaId}'`, status);
  }
  if (status === 401 || status === 403) {
    return new PersonaLoadError(
      'unauthorized',
      `the server refused the agent key (${status}); check PARLEY_AGENT_KEY`,
      status,
    );
  }
  if (error.retryable) {
    const code = error.code === 'server_unreachable' ? 'server_unreachable' : 'server_error';
    return new PersonaLoadError(code, error.message, status);
  }
  return new PersonaLoadError('invalid_persona', error.message, status);
}
