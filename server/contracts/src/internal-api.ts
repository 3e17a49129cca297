import { z } from 'zod';
import { IdempotencyKeySchema, TurnInputSchema } from './call.js';

/**
 * The server↔agent internal API: every `/internal/*` route, behind the agent's service key
 * (`Authorization: Bearer $PARLEY_AGENT_KEY`). The server mounts {@link INTERNAL_ROUTES}; the
 * agent requests {@link INTERNAL_API}, built from the same patterns.
 */
export const INTERNAL_PREFIX = '/internal';

/** Express-style patterns of the internal routes (`:id` is a call's id unless named otherwise). */
export const INTERNAL_ROUTES = {
  /** GET the persona a job runs; query {@link PersonaQuerySchema}. */
  persona: '/internal/personas/:id',
  /** POST {@link HeartbeatSchema}: a worker is registered with LiveKit; answers 204. */
  workerHeartbeat: '/internal/workers/heartbeat',
  /** POST `CallInput`: starts a room's call record (idempotent per room). */
  calls: '/internal/calls',
  /** Everything about one call; the routes below extend it. */
  call: '/internal/calls/:id',
  /** POST {@link TurnAppendSchema}: appends a turn (idempotent per key). */
  callTurns: '/internal/calls/:id/turns',
  /** POST `CallClose`: closes the call (the first close wins). */
  callClose: '/internal/calls/:id/close',
  /** POST `CaptureLeadRequest` (idempotent per key). */
  callLeads: '/internal/calls/:id/leads',
  /** GET free appointment slots; query `AvailabilityQuery`. */
  callAvailability: '/internal/calls/:id/availability',
  /** POST `BookAppointmentRequest` (idempotent per key). */
  callAppointments: '/internal/calls/:id/appointments',
  /** POST `RunWebhookToolRequest`: runs the persona's webhook tool `:name`. */
  callTool: '/internal/calls/:id/tools/:name',
  /** POST `CallLegReport`: a participant leg joined, progressed or left. */
  callLegs: '/internal/calls/:id/legs',
  /** POST `CallWarningReport`. */
  callWarnings: '/internal/calls/:id/warnings',
  /** POST `TransferDialRequest`: rings the persona's transfer target into a room. */
  callTransferDial: '/internal/calls/:id/transfer-dial',
  /** POST (no body): puts the call's phone number on the do-not-call list. */
  callOptOut: '/internal/calls/:id/opt-out',
  /** POST `ScheduleCallbackRequest`: schedules a call back to the call's phone number. */
  callCallbacks: '/internal/calls/:id/callbacks',
  /** GET what Parley remembers of a phone caller; query `CallerHistoryQuery`. */
  callerHistory: '/internal/caller-history',
} as const;

export type InternalRoute = keyof typeof INTERNAL_ROUTES;

/** Fills a route pattern's `:params`, URL-encoded. */
function fill(pattern: string, params: Record<string, string> = {}): string {
  return pattern.replace(/:(\w+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${pattern}: no value for :${name}`);
    return encodeURIComponent(value);
  });
}

/** The concrete paths of {@link INTERNAL_ROUTES} (without query), ids URL-encoded. */
export const INTERNAL_API = {
  persona: (personaId: string) => fill(INTERNAL_ROUTES.persona, { id: personaId }),
  workerHeartbeat: () => INTERNAL_ROUTES.workerHeartbeat,
  calls: () => INTERNAL_ROUTES.calls,
  call: (callId: string) => fill(INTERNAL_ROUTES.call, { id: callId }),
  callTurns: (callId: string) => fill(INTERNAL_ROUTES.callTurns, { id: callId }),
  callClose: (callId: string) => fill(INTERNAL_ROUTES.callClose, { id: callId }),
  callLeads: (callId: string) => fill(INTERNAL_ROUTES.callLeads, { id: callId }),
  callAvailability: (callId: string) => fill(INTERNAL_ROUTES.callAvailability, { id: callId }),
  callAppointments: (callId: string) => fill(INTERNAL_ROUTES.callAppointments, { id: callId }),
  callTool: (callId: string, toolName: string) =>
    fill(INTERNAL_ROUTES.callTool, { id: callId, name: toolName }),
  callLegs: (callId: string) => fill(INTERNAL_ROUTES.callLegs, { id: callId }),
  callWarnings: (callId: string) => fill(INTERNAL_ROUTES.callWarnings, { id: callId }),
  callTransferDial: (callId: string) => fill(INTERNAL_ROUTES.callTransferDial, { id: callId }),
  callOptOut: (callId: string) => fill(INTERNAL_ROUTES.callOptOut, { id: callId }),
  callCallbacks: (callId: string) => fill(INTERNAL_ROUTES.callCallbacks, { id: callId }),
  callerHistory: () => INTERNAL_ROUTES.callerHistory,
} satisfies Record<InternalRoute, (...ids: string[]) => string>;

/** Query of `GET /internal/personas/:id`. */
export const PersonaQuerySchema = z.object({
  /** The dispatch's `tenantId`; the default tenant when absent. */
  tenant: z.string().min(1).max(64).optional(),
});
export type PersonaQuery = z.infer<typeof PersonaQuerySchema>;

/** Body of `POST /internal/workers/heartbeat`. */
export const HeartbeatSchema = z.object({
  agentName: z.string().min(1).max(64),
  workerId: z.string().min(1).max(128),
  pid: z.number().int().optional(),
  /** Calls the worker is running now. With `maxJobs`, what the server admits new calls by. */
  activeJobs: z.number().int().min(0).max(10_000).optional(),
  /** Calls the worker takes at most (`PARLEY_MAX_JOBS`). */
  maxJobs: z.number().int().min(1).max(10_000).optional(),
});
export type Heartbeat = z.infer<typeof HeartbeatSchema>;

/** Body of `POST /internal/calls/:id/turns`. */
export const TurnAppendSchema = z.object({
  /** Stable per turn (e.g. `<job>:<n>`): a retried append answers the stored turn. */
  key: IdempotencyKeySchema,
  turn: TurnInputSchema,
});
export type TurnAppend = z.input<typeof TurnAppendSchema>;

/** What the agent reads of the call `POST /internal/calls` answers: its id. */
export const CallRefSchema = z.object({ id: z.string().min(1) });
export type CallRef = z.infer<typeof CallRefSchema>;
