import { z } from 'zod';
import { E164Schema, PersonaIdSchema } from './call.js';
import { PersonaRefSchema, VariablesSchema } from './session.js';

/**
 * Phone payloads: numbers routed to personas through livekit-sip, outbound trunks and calls, the
 * guards checked before anything dials, and what the agent reports about a phone leg.
 */

/** A DTMF key as LiveKit reports it (`DtmfReceived` gives the digit as a string). */
export const DtmfDigitSchema = z.enum([
  '0',
  '1',
  '2',
  '3',
  '4',
  '5',
  '6',
  '7',
  '8',
  '9',
  '*',
  '#',
  'A',
  'B',
  'C',
  'D',
]);
export type DtmfDigit = z.infer<typeof DtmfDigitSchema>;

/** How a phone leg's call progressed; the last one is stored on the call. */
export const PhoneCallStatusSchema = z.enum([
  'dialing',
  'ringing',
  'answered',
  'no_answer',
  'busy',
  'failed',
  'completed',
]);
export type PhoneCallStatus = z.infer<typeof PhoneCallStatusSchema>;

/** One participant leg of a call: the browser, the phone, a human a transfer brought in. */
export const CallLegSchema = z.object({
  kind: z.enum(['web', 'phone', 'transfer']),
  /** The LiveKit participant identity of the leg. */
  identity: z.string().min(1).max(200),
  phoneNumber: E164Schema.optional(),
  direction: z.enum(['inbound', 'outbound']).optional(),
  status: PhoneCallStatusSchema.optional(),
  startedAt: z.string().optional(),
  endedAt: z.string().optional(),
});
export type CallLeg = z.infer<typeof CallLegSchema>;

/** A condition worth an operator's attention, kept with the call and shown in the studio. */
export const CallWarningSchema = z.object({
  code: z.enum(['narrowband_audio', 'transfer_failed', 'callback_offered']),
  message: z.string().min(1).max(500),
  at: z.string().optional(),
});
export type CallWarning = z.infer<typeof CallWarningSchema>;

/** Body of `POST /internal/calls/:id/legs`: the agent reports a leg and how it progressed. */
export const CallLegReportSchema = CallLegSchema;

/** Body of `POST /internal/calls/:id/warnings`. */
export const CallWarningReportSchema = CallWarningSchema;

/** Query of `GET /internal/caller-history`: what Parley remembers of a phone caller. */
export const CallerHistoryQuerySchema = z.object({
  tenant: z.string().min(1).max(64).optional(),
  phoneNumber: E164Schema,
});

/** Body of `PUT /v1/phone-numbers/:e164` beyond the persona: who may reach the number. */
export const InboundAccessSchema = z.object({
  /** Carrier addresses (IPs or CIDRs) allowed to send calls to this number. */
  allowedAddresses: z.array(z.string().min(1).max(64)).max(50).optional(),
  /** Digest credentials the carrier must present; the password is kept as a tenant secret. */
  authUsername: z.string().min(1).max(100).optional(),
  authPassword: z.string().min(8).max(200).optional(),
});

/** What LiveKit holds for an assigned number (inbound trunk and dispatch rule). */
export const PhoneProvisioningSchema = z.object({
  trunkId: z.string(),
  dispatchRuleId: z.string(),
  allowedAddresses: z.array(z.string()),
  /** Whether callers must present digest credentials (the password is never returned). */
  authRequired: z.boolean(),
});

/** Body of `PUT /v1/outbound-trunks/:name`: the carrier Parley dials through for a tenant. */
export const OutboundTrunkInputSchema = z.object({
  /** The carrier's SIP address, `host` or `host:port`. */
  address: z.string().min(1).max(255),
  /** Caller-id numbers this trunk may present; the first is the default. */
  numbers: z.array(E164Schema).min(1).max(50),
  transport: z.enum(['udp', 'tcp', 'tls']).default('udp'),
  authUsername: z.string().min(1).max(100).optional(),
  /** Stored as a tenant secret; never returned. */
  authPassword: z.string().min(1).max(200).optional(),
});
export type OutboundTrunkInput = z.input<typeof OutboundTrunkInputSchema>;

export const OutboundTrunkSchema = z.object({
  name: z.string(),
  tenantId: z.string(),
  address: z.string(),
  numbers: z.array(z.string()),
  transport: z.enum(['udp', 'tcp', 'tls']),
  authUsername: z.string().optional(),
  /** LiveKit's id of the provisioned outbound trunk. */
  trunkId: z.string(),
  createdAt: z.string(),
});
export type OutboundTrunk = z.infer<typeof OutboundTrunkSchema>;

/** Per-tenant rules checked before any outbound call dials (toll-fraud and courtesy guards). */
export const DialPolicySchema = z.object({
  /** E.164 prefixes (`+1`, `+44`) that may be dialled; empty means none may. */
  allowedPrefixes: z.array(z.string().regex(/^\+\d{1,6}$/, 'a prefix such as +1 or +44')).max(100),
  /** Phone calls (inbound and outbound) the tenant may have at once. */
  maxConcurrentPhoneCalls: z.number().int().min(0).max(1000),
});
export type DialPolicy = z.infer<typeof DialPolicySchema>;

/** Body of `POST /v1/calls/outbound`. */
export const OutboundCallRequestSchema = z.object({
  persona: PersonaRefSchema,
  to: E164Schema,
  /** Caller id to present; one of the trunk's numbers (its first by default). */
  from: E164Schema.optional(),
  /** The outbound trunk to dial through; the tenant's only (or first) one by default. */
  trunk: z.string().min(1).max(63).optional(),
  variables: VariablesSchema.optional(),
  /** How long the phone may ring before the call counts as not answered. */
  ringTimeoutSeconds: z.number().int().min(5).max(120).default(30),
});
export type OutboundCallRequest = z.infer<typeof OutboundCallRequestSchema>;

/** `202` answer of `POST /v1/calls/outbound`: the call is dialling; its status follows. */
export const OutboundCallResponseSchema = z.object({
  callId: z.string(),
  roomName: z.string(),
  status: PhoneCallStatusSchema,
});

/**
 * Body of `POST /v1/sessions/phone` (the widget's "continue on my phone"); the visitor's own
 * LiveKit token, as a Bearer credential, names the room and the visitor.
 */
export const ContinueOnPhoneRequestSchema = z.object({ to: E164Schema });

/**
 * Participant attribute Parley sets on the SIP legs it dials, so the agent and the widget can
 * tell them apart: the visitor's own phone, or a human a warm transfer brought in.
 */
export const LEG_ATTRIBUTE = 'parley.leg';
export const LegPurposeSchema = z.enum(['outbound', 'continue-on-phone', 'transfer']);
export type LegPurpose = z.infer<typeof LegPurposeSchema>;

/** Body of `POST /internal/calls/:id/transfer-dial`: ring the persona's transfer target. */
export const TransferDialRequestSchema = z.object({
  /** The room to bring the target into (a consultation room, or the call's own). */
  roomName: z.string().min(1).max(200),
  participantIdentity: z.string().min(1).max(200),
});
export type TransferDialRequest = z.infer<typeof TransferDialRequestSchema>;
/** Answer of `POST /internal/calls/:id/transfer-dial`, once the target answered or gave up. */
export const TransferDialResultSchema = z.object({
  status: PhoneCallStatusSchema,
  participantIdentity: z.string(),
});
export type TransferDialResult = z.infer<typeof TransferDialResultSchema>;

export { PersonaIdSchema };

/** How a tenant names an outbound trunk (`PUT /v1/outbound-trunks/:name`). */
export const OutboundTrunkNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and dashes, at most 63');

/** Body of `PUT /v1/do-not-call/:e164`: why the number must never be dialled. */
export const DoNotCallInputSchema = z.object({ reason: z.string().max(500).optional() });

/** A number on the tenant's do-not-call list: no outbound call or web→phone dial reaches it. */
export const DoNotCallEntrySchema = z.object({
  e164: z.string(),
  reason: z.string().optional(),
  createdAt: z.string(),
});
export type DoNotCallEntry = z.infer<typeof DoNotCallEntrySchema>;

/** What a tenant's dial policy is until it sets one: nothing may be dialled, 5 calls at once. */
export const DEFAULT_DIAL_POLICY: DialPolicy = { allowedPrefixes: [], maxConcurrentPhoneCalls: 5 };

/** `202` answer of `POST /v1/sessions/phone`: the visitor's phone is being dialled into the room. */
export const ContinueOnPhoneResponseSchema = z.object({
  status: z.literal('dialing'),
  /** The identity the phone leg will have in the room (`parley.leg` = `continue-on-phone`). */
  identity: z.string(),
});

/** Body of the `call.phone_status` webhook: the phone leg of a call changed status. */
export const PhoneStatusEventSchema = z.object({
  callId: z.string(),
  status: PhoneCallStatusSchema,
  at: z.string(),
});
