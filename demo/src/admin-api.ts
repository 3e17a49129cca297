import type { Call, CallDetail, Page, PersonaVersion } from '@parley/contracts';
import type {
  Appointment,
  CallCampaign,
  CallEvent,
  CallOutcome,
  Channel,
  ConsentReceipt,
  DialPolicy,
  DoNotCallEntry,
  Lead,
  LeadTemperature,
  OutboundCallRequest,
  OutboundTrunk,
  OutboundTrunkInput,
  Persona,
  PersonaInput,
  PhoneCallStatus,
  PhoneNumber,
} from '@parley/contracts';

/** A failed admin API request: the server's `{ error: { code, message } }`, or why none came. */
export class ApiRequestError extends Error {
  override readonly name = 'ApiRequestError';

  constructor(
    /** HTTP status; 0 when the server could not be reached. */
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  /** `code: message`, as the studio shows it. */
  get display(): string {
    return `${this.code}: ${this.message}`;
  }
}

/** The message of a failed request as the studio shows it: the server's code and message. */
export function describeError(error: unknown): string {
  if (error instanceof ApiRequestError) return error.display;
  return error instanceof Error ? error.message : String(error);
}

export interface CallQuery {
  personaId?: string;
  channel?: Channel;
  outcome?: CallOutcome;
  from?: string;
  to?: string;
  cursor?: string;
  limit?: number;
}

export interface LeadQuery {
  temperature?: LeadTemperature;
  from?: string;
  to?: string;
  cursor?: string;
}

export interface AppointmentQuery {
  from?: string;
  to?: string;
  status?: Appointment['status'];
}

/**
 * A call as `GET /v1/calls/:id` answers it: the record with its turns, and what happened around
 * it (room events, leads, bookings, the consent receipt, the campaign) — absent from servers
 * older than those.
 */
export type CallView = CallDetail & {
  events?: CallEvent[];
  leads?: Lead[];
  appointments?: Appointment[];
  consent?: ConsentReceipt;
  /** The campaign that dialled the call, when one did. */
  campaign?: CallCampaign;
};

/** Body of `PUT /v1/phone-numbers/:e164`: the persona, and who may reach the number. */
export interface PhoneNumberAssignment {
  personaId: string;
  label?: string;
  allowedAddresses?: string[];
  authUsername?: string;
  authPassword?: string;
}

/** An assigned number as the admin API answers it, with what LiveKit holds for it. */
export type PhoneNumberRecord = PhoneNumber & {
  allowedAddresses?: string[];
  authUsername?: string;
  provisioning?: {
    trunkId: string;
    dispatchRuleId: string;
    allowedAddresses: string[];
    authRequired: boolean;
  };
};

/** `202` answer of `POST /v1/calls/outbound`. */
export interface OutboundCallAnswer {
  callId: string;
  roomName: string;
  status: PhoneCallStatus;
}

function queryString(query: object): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(name, String(value));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

function isErrorBody(body: unknown): body is { error: { code: string; message: string } } {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false;
  const error = body.error;
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string' &&
    'message' in error &&
    typeof error.message === 'string'
  );
}

/** A request body sent as it is (a CSV file), not as JSON. */
export class TextBody {
  constructor(
    readonly contentType: string,
    readonly text: string,
  ) {}
}

/** The admin API of the Parley server this page came from, with the admin key as Bearer. */
export class AdminApi {
  constructor(
    private readonly adminKey: string,
    private readonly base = '',
  ) {}

  async listPersonas(): Promise<Persona[]> {
    return (await this.request<{ data: Persona[] }>('GET', '/v1/personas')).data;
  }

  getPersona(id: string): Promise<Persona> {
    return this.request('GET', `/v1/personas/${encodeURIComponent(id)}`);
  }

  createPersona(input: PersonaInput): Promise<Persona> {
    return this.request('POST', '/v1/personas', input);
  }

  /** Saves `input` as the persona's next version. */
  replacePersona(id: string, input: PersonaInput): Promise<Persona> {
    return this.request('PUT', `/v1/personas/${encodeURIComponent(id)}`, input);
  }

  /** Every saved version, oldest first. */
  async personaVersions(id: string): Promise<PersonaVersion[]> {
    const path = `/v1/personas/${encodeURIComponent(id)}/versions`;
    return (await this.request<{ data: PersonaVersion[] }>('GET', path)).data;
  }

  listCalls(query: CallQuery = {}): Promise<Page<Call>> {
    return this.request('GET', `/v1/calls${queryString(query)}`);
  }

  getCall(id: string): Promise<CallView> {
    return this.request('GET', `/v1/calls/${encodeURIComponent(id)}`);
  }

  /** The call held in `roomName` (the widget reports rooms, not call ids), if recorded yet. */
  async findCallByRoom(personaId: string, roomName: string): Promise<Call | undefined> {
    const page = await this.listCalls({ personaId, limit: 50 });
    return page.items.find((call) => call.roomName === roomName);
  }

  listLeads(query: LeadQuery = {}): Promise<Page<Lead>> {
    return this.request('GET', `/v1/leads${queryString(query)}`);
  }

  /** Appointments (not paginated: a calendar's worth), soonest first. */
  async listAppointments(query: AppointmentQuery = {}): Promise<Appointment[]> {
    const path = `/v1/appointments${queryString(query)}`;
    return (await this.request<{ data: Appointment[] }>('GET', path)).data;
  }

  async listPhoneNumbers(): Promise<PhoneNumberRecord[]> {
    return (await this.request<{ data: PhoneNumberRecord[] }>('GET', '/v1/phone-numbers')).data;
  }

  /** Routes `e164` to a persona (LiveKit's trunk and dispatch rule are provisioned with it). */
  assignPhoneNumber(e164: string, body: PhoneNumberAssignment): Promise<PhoneNumberRecord> {
    return this.request('PUT', `/v1/phone-numbers/${encodeURIComponent(e164)}`, body);
  }

  async unassignPhoneNumber(e164: string): Promise<void> {
    await this.request('DELETE', `/v1/phone-numbers/${encodeURIComponent(e164)}`);
  }

  async listOutboundTrunks(): Promise<OutboundTrunk[]> {
    return (await this.request<{ data: OutboundTrunk[] }>('GET', '/v1/outbound-trunks')).data;
  }

  putOutboundTrunk(name: string, body: OutboundTrunkInput): Promise<OutboundTrunk> {
    return this.request('PUT', `/v1/outbound-trunks/${encodeURIComponent(name)}`, body);
  }

  async removeOutboundTrunk(name: string): Promise<void> {
    await this.request('DELETE', `/v1/outbound-trunks/${encodeURIComponent(name)}`);
  }

  async listDoNotCall(): Promise<DoNotCallEntry[]> {
    return (await this.request<{ data: DoNotCallEntry[] }>('GET', '/v1/do-not-call')).data;
  }

  addDoNotCall(e164: string, reason: string | undefined): Promise<DoNotCallEntry> {
    return this.request('PUT', `/v1/do-not-call/${encodeURIComponent(e164)}`, { reason });
  }

  async removeDoNotCall(e164: string): Promise<void> {
    await this.request('DELETE', `/v1/do-not-call/${encodeURIComponent(e164)}`);
  }

  dialPolicy(): Promise<DialPolicy> {
    return this.request('GET', '/v1/dial-policy');
  }

  setDialPolicy(policy: DialPolicy): Promise<DialPolicy> {
    return this.request('PUT', '/v1/dial-policy', policy);
  }

  /** Dials `to` with the persona through the tenant's outbound trunk. */
  placeOutboundCall(request: OutboundCallRequest): Promise<OutboundCallAnswer> {
    return this.request('POST', '/v1/calls/outbound', request);
  }

  /**
   * Any admin route: `body` goes as JSON, or as it is when it is a {@link TextBody}. The capability
   * folders' own clients (`campaigns/campaign-api.ts`) are built on it.
   */
  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const payload =
      body === undefined || body instanceof TextBody
        ? body
        : new TextBody('application/json', JSON.stringify(body));
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.adminKey}`,
          ...(payload && { 'content-type': payload.contentType }),
        },
        body: payload?.text,
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ApiRequestError(
        0,
        'server_unreachable',
        `the Parley server did not answer (${reason})`,
      );
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (response.ok) return parsed as T;
    if (isErrorBody(parsed)) {
      throw new ApiRequestError(response.status, parsed.error.code, parsed.error.message);
    }
    throw new ApiRequestError(
      response.status,
      `http_${response.status}`,
      `${method} ${path} answered ${response.status} ${response.statusText}`,
    );
  }
}
