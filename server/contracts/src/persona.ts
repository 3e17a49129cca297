import { z } from 'zod';
import { DtmfDigitSchema, OutboundTrunkNameSchema } from './phone.js';
import { VariablesSchema } from './session.js';

/** Which engine runs a pipeline stage. `auto` picks the cloud provider when its key is set. */
export const SttProviderSchema = z.enum(['auto', 'offline', 'deepgram']);
export const LlmProviderSchema = z.enum(['auto', 'scripted', 'openai']);
export const TtsProviderSchema = z.enum(['auto', 'offline', 'cartesia']);

export const KnowledgeEntrySchema = z.object({
  question: z.string().min(1).max(500),
  answer: z.string().min(1).max(2000),
});

/** Tools built into the agent; a persona enables the ones it wants by name. */
export const BUILTIN_TOOLS = [
  'end_call',
  'transfer_to_human',
  'capture_lead',
  'book_appointment',
  'lookup_knowledge',
  'schedule_callback',
] as const;
export const BuiltinToolSchema = z.enum(BUILTIN_TOOLS);
export type BuiltinTool = z.infer<typeof BuiltinToolSchema>;

/**
 * The opt-out tool (`opt_out`): offered on every phone call whatever `tools` says, because a
 * caller's wish not to be called again must be honoured by any persona. Its name is reserved.
 */
export const OPT_OUT_TOOL = 'opt_out';

/** A model-facing tool name: what OpenAI-style function calling accepts. */
export const ToolNameSchema = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_-]{0,63}$/, 'letters, digits, _ and -, starting with a letter or _');

/** A JSON Schema for a tool's arguments object (kept as given; the model reads it). */
export const ToolParametersSchema = z
  .object({ type: z.literal('object') })
  .passthrough()
  .default({ type: 'object', properties: {} });

/** `{{secret.NAME}}` in a header value is replaced by the tenant's stored secret `NAME`. */
export const SECRET_REFERENCE = /\{\{\s*secret\.([A-Za-z_][A-Za-z0-9_]{0,63})\s*\}\}/g;

/**
 * A tool the server runs for the agent by calling the site owner's HTTP endpoint. Requests are
 * signed (`parley-signature`, HMAC-SHA256 over timestamp and body) with the stored secret named
 * by `signingSecret`; header values may reference stored secrets; secrets never reach the agent.
 */
export const WebhookToolSchema = z.object({
  name: ToolNameSchema,
  description: z.string().min(1).max(1000),
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('POST'),
  url: z.string().url().max(2000),
  parameters: ToolParametersSchema,
  headers: z.record(z.string().min(1).max(100), z.string().max(2000)).default({}),
  signingSecret: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/)
    .default('TOOL_SIGNING_KEY'),
  timeoutMs: z.number().int().min(100).max(30_000).default(5_000),
  /** Phrases that make the scripted responder (offline, no model) call this tool. */
  phrases: z.array(z.string().min(1).max(200)).max(20).default([]),
});
export type WebhookTool = z.infer<typeof WebhookToolSchema>;

/** A tool the visitor's page runs (the widget's `registerTool`), called over LiveKit RPC. */
export const ClientToolSchema = z.object({
  name: ToolNameSchema,
  description: z.string().min(1).max(1000),
  parameters: ToolParametersSchema,
  timeoutMs: z.number().int().min(100).max(30_000).default(8_000),
  /** Phrases that make the scripted responder (offline, no model) call this tool. */
  phrases: z.array(z.string().min(1).max(200)).max(20).default([]),
});
export type ClientTool = z.infer<typeof ClientToolSchema>;

/** When the agent decides the caller has finished, and when the caller may cut it off. */
export const TurnTakingSchema = z.object({
  /** Silence after speech before the turn may end (the turn detector can wait longer). */
  minEndpointingDelayMs: z.number().int().min(0).max(5_000).default(250),
  /** Longest wait for the caller to go on when the turn detector thinks they will. */
  maxEndpointingDelayMs: z.number().int().min(100).max(10_000).default(2_000),
  /**
   * The end-of-turn model thinks the caller will go on when its probability is below this;
   * unset, the model's own threshold for the language (0.36 for English).
   */
  endOfTurnThreshold: z.number().min(0).max(1).optional(),
  /** Whether the caller can interrupt (barge in on) the agent. */
  interruptions: z.boolean().default(true),
  /**
   * The caller's voice pauses the agent once it has lasted this long (shorter sounds are
   * ignored); their words then stop it for good, while a backchannel ("mm-hm", "yeah") or a
   * sound without words lets it resume.
   */
  minInterruptionDurationMs: z.number().int().min(0).max(5_000).default(60),
  /** After a pause with no words (or only a backchannel), the agent resumes this long after the caller's voice stopped. */
  falseInterruptionTimeoutMs: z.number().int().min(0).max(10_000).default(500),
});
export type TurnTaking = z.infer<typeof TurnTakingSchema>;

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time such as 09:30');
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const WeekdaySchema = z.enum(WEEKDAYS);
export type Weekday = z.infer<typeof WeekdaySchema>;

/** IANA time zone, e.g. `Europe/Paris`. */
export const TimeZoneSchema = z
  .string()
  .min(1)
  .max(64)
  .refine((zone) => isTimeZone(zone), 'an IANA time zone such as Europe/Paris');

/** Spans of the week (`{ day: 'mon', open: '09:00', close: '17:00' }`), in some time zone. */
export const WeeklySpansSchema = z
  .array(z.object({ day: WeekdaySchema, open: HHMM, close: HHMM }))
  .max(50)
  .refine((spans) => spans.every((s) => s.open < s.close), 'each span opens before it closes');

/** Opening hours in a time zone; appointments are only booked inside them. */
export const BusinessHoursSchema = z.object({
  timeZone: TimeZoneSchema,
  weekly: WeeklySpansSchema,
  /** Length of one appointment. */
  appointmentMinutes: z.number().int().min(5).max(480).default(30),
});
export type BusinessHours = z.infer<typeof BusinessHoursSchema>;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * How a captured lead is scored (BANT: budget, authority, need, timeline). Each signal met adds
 * its weight; the sum against the thresholds gives hot, warm or cold.
 */
export const LeadQualificationSchema = z.object({
  /** Budget at or above this (in the persona's currency) counts as the budget signal. */
  minBudget: z.number().nonnegative().default(1_000),
  /** A timeline within this many days counts as the timeline signal. */
  maxTimelineDays: z.number().int().min(0).max(3650).default(90),
  /** Words in the stated need that make it a fit (any one); empty means any stated need fits. */
  needKeywords: z.array(z.string().min(1).max(100)).max(100).default([]),
  weights: z
    .object({
      budget: z.number().min(0).max(100).default(30),
      authority: z.number().min(0).max(100).default(20),
      need: z.number().min(0).max(100).default(30),
      timeline: z.number().min(0).max(100).default(20),
    })
    .default({}),
  /** Score at or above `hot` is hot; at or above `warm` is warm; below is cold. */
  thresholds: z
    .object({
      hot: z.number().min(0).max(400).default(70),
      warm: z.number().min(0).max(400).default(40),
    })
    .refine((t) => t.hot >= t.warm, 'hot must be at least warm')
    .default({}),
});
export type LeadQualification = z.infer<typeof LeadQualificationSchema>;

/** Where a caller goes when they ask for a person. */
export const EscalationSchema = z.object({
  /** Phrases that mean "a person, please"; matched loosely by the scripted responder. */
  phrases: z
    .array(z.string().min(1).max(200))
    .max(50)
    .default(['speak to a human', 'talk to a person', 'real person', 'human agent', 'operator']),
  /** E.164 number or `sip:` URI; without one, web calls end with `message` instead. */
  transferTarget: z
    .string()
    .regex(/^(\+[1-9]\d{6,14}|sips?:[^\s]{3,200})$/, 'an E.164 number or a sip: URI')
    .optional(),
  /**
   * `cold` hands the caller straight to the target (SIP REFER for a phone caller); `warm` dials the
   * target first, tells them who is calling and why, then connects them and leaves. A web visitor's
   * transfer is always warm (there is no phone leg to refer).
   */
  mode: z.enum(['cold', 'warm']).default('cold'),
  /** A warm transfer gives up after the target rang this long without answering. */
  ringTimeoutSeconds: z.number().int().min(5).max(120).default(25),
  /** Said to the caller when a warm transfer's target does not answer. */
  noAnswerLine: z
    .string()
    .min(1)
    .max(500)
    .default(
      "I'm sorry, nobody from our team could pick up right now. Would you like us to call you back?",
    ),
  /** Said before the transfer (or before ending when no transfer is possible). */
  message: z
    .string()
    .min(1)
    .max(500)
    .default('Let me connect you with a member of our team. One moment, please.'),
});
export type Escalation = z.infer<typeof EscalationSchema>;

/** What the agent does when the caller goes quiet. */
export const SilenceSchema = z.object({
  repromptAfterSeconds: z.number().min(2).max(120).default(8),
  repromptLine: z.string().min(1).max(500).default('Are you still there?'),
  hangUpAfterSeconds: z.number().min(4).max(600).default(20),
  hangUpLine: z
    .string()
    .min(1)
    .max(500)
    .default("I haven't heard from you, so I'll end the call now. Goodbye!"),
});
export type Silence = z.infer<typeof SilenceSchema>;

/** Telling callers they are talking to an AI. */
export const DisclosureSchema = z.object({
  line: z.string().min(1).max(500).default('Just so you know, I am an AI assistant, not a person.'),
  /** Say `line` right after the greeting. */
  atStart: z.boolean().default(false),
  /** Web visitors accept `consentText` in the widget before the microphone opens. */
  requireConsent: z.boolean().default(false),
  consentText: z
    .string()
    .min(1)
    .max(2000)
    .default('This call is with an AI assistant and is recorded and transcribed. Do you agree?'),
  /** Bump when `consentText` changes; stored with each acceptance. */
  consentVersion: z.string().min(1).max(50).default('1'),
});
export type Disclosure = z.infer<typeof DisclosureSchema>;

/** A key on the phone's keypad that stands for something the caller could have said. */
export const DtmfMenuEntrySchema = z.object({
  digit: DtmfDigitSchema,
  /** What pressing the key means, handed to the agent as if the caller had said it. */
  intent: z.string().min(1).max(500),
});
export type DtmfMenuEntry = z.infer<typeof DtmfMenuEntrySchema>;

/** How the agent treats phone callers: keypad menus, digit strings, calling hours. */
export const PhoneSettingsSchema = z.object({
  /** Single keys mapped to intents (a menu): "press 1 for opening hours". */
  dtmfMenu: z.array(DtmfMenuEntrySchema).max(16).default([]),
  /**
   * Keys not in the menu are collected into a digit string (an order number, say), which ends
   * with `#` or after this much quiet between keys, and reaches the agent as the caller's words.
   */
  digitTimeoutMs: z.number().int().min(500).max(10_000).default(2_500),
  maxDigits: z.number().int().min(1).max(32).default(16),
  /**
   * When outbound calls may be placed, in the persona's business time zone; unset, the persona's
   * business hours (and with neither, any time).
   */
  callingHours: WeeklySpansSchema.optional(),
  /** The widget offers web visitors to continue the conversation on their phone. */
  continueOnPhone: z.boolean().default(false),
  /** Said before the call ends when a phone caller asks not to be called again (`opt_out`). */
  optOutLine: z.string().min(1).max(500).default("Understood, we won't call you again. Goodbye."),
  /**
   * The outbound trunk this persona dials through (outbound calls without a `trunk`, warm
   * transfers, continue on my phone); unset, the tenant's first.
   */
  outboundTrunk: OutboundTrunkNameSchema.optional(),
  /**
   * Reminder calls before the appointments this persona books: placed `minutesBefore` each
   * booked appointment (24 h and 1 h by default) to the number the booking gave, else the
   * caller's; cancelled with the appointment.
   */
  appointmentReminders: z
    .object({
      enabled: z.boolean().default(false),
      minutesBefore: z
        .array(
          z
            .number()
            .int()
            .min(5)
            .max(14 * 24 * 60),
        )
        .max(5)
        .default([24 * 60, 60]),
    })
    .default({}),
});
export type PhoneSettings = z.infer<typeof PhoneSettingsSchema>;

/** A persona this one may hand the caller to mid-call (e.g. reception → sales). */
export const HandoffTargetSchema = z.object({
  personaId: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and dashes, at most 63'),
  /** When to hand off, for the model (and, as phrases, for the scripted responder). */
  when: z.string().min(1).max(500),
  /** Phrases that trigger the handoff in the scripted responder. */
  phrases: z.array(z.string().min(1).max(200)).max(50).default([]),
  /** Keep this persona's voice instead of switching to the target's. */
  keepVoice: z.boolean().default(false),
});
export type HandoffTarget = z.infer<typeof HandoffTargetSchema>;

export const PersonaSchema = z.object({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and dashes, at most 63'),
  name: z.string().min(1).max(100),
  greeting: z.string().min(1).max(500),
  /** The system prompt; `{{name}}` placeholders are filled from session variables and built-ins. */
  instructions: z.string().max(20_000),
  /** Default values for `{{variables}}`; the session's own variables override them. */
  variables: VariablesSchema.default({}),
  knowledge: z.array(KnowledgeEntrySchema).max(500).default([]),
  /** BCP 47 tag, e.g. `en-US`. */
  language: z.string().min(2).max(35).default('en-US'),
  /** Provider-specific voice name; `default` lets each TTS pick its own. */
  voice: z.string().min(1).max(100).default('default'),
  /** Said when nothing in the knowledge matches. */
  fallback: z
    .string()
    .max(500)
    .default("I'm sorry, I don't have an answer to that. Could you ask it another way?"),
  providers: z
    .object({
      stt: SttProviderSchema.default('auto'),
      llm: LlmProviderSchema.default('auto'),
      tts: TtsProviderSchema.default('auto'),
    })
    .default({ stt: 'auto', llm: 'auto', tts: 'auto' }),
  turnTaking: TurnTakingSchema.default({}),
  /** Built-in tools the agent may use. */
  tools: z.array(BuiltinToolSchema).max(BUILTIN_TOOLS.length).default([]),
  webhookTools: z.array(WebhookToolSchema).max(20).default([]),
  clientTools: z.array(ClientToolSchema).max(20).default([]),
  /** Said when a tool takes longer than `afterMs`, so the caller is not left in silence. */
  filler: z
    .object({
      lines: z.array(z.string().min(1).max(200)).min(1).max(20).default(['One moment, please.']),
      afterMs: z.number().int().min(200).max(10_000).default(1_000),
    })
    .default({}),
  leadQualification: LeadQualificationSchema.default({}),
  businessHours: BusinessHoursSchema.optional(),
  escalation: EscalationSchema.default({}),
  handoffs: z.array(HandoffTargetSchema).max(20).default([]),
  silence: SilenceSchema.default({}),
  /** The call ends gracefully (with `closingLine`) after this long. */
  maxCallDurationSeconds: z
    .number()
    .int()
    .min(30)
    .max(4 * 3600)
    .default(1800),
  closingLine: z
    .string()
    .min(1)
    .max(500)
    .default("We've reached the time limit for this call. Thank you for calling, goodbye!"),
  disclosure: DisclosureSchema.default({}),
  phone: PhoneSettingsSchema.default({}),
  /** When set, web sessions must present it as `embedKey` (a public key that pairs with origins). */
  embedKey: z.string().min(16).max(200).optional(),
  /** Exact origins (`https://shop.example`) allowed to open web sessions for this persona. */
  allowedOrigins: z
    .array(z.string().url().or(z.literal('*')))
    .max(100)
    .default([]),
});

/** A persona as stored and served: every default filled in. */
export type Persona = z.infer<typeof PersonaSchema>;
/** A persona as written by an admin: defaults may be omitted. */
export type PersonaInput = z.input<typeof PersonaSchema>;

/**
 * A persona as admins may save it: the schema plus the rules that span fields — every tool the
 * model sees (built-in, webhook, client, `handoff`, `opt_out`) has its own name, and a persona
 * does not hand off to itself.
 */
export const SavablePersonaSchema = PersonaSchema.superRefine((persona, ctx) => {
  const seen = new Set<string>([...persona.tools, OPT_OUT_TOOL]);
  if (persona.handoffs.length > 0) seen.add('handoff');
  for (const [field, tools] of [
    ['webhookTools', persona.webhookTools],
    ['clientTools', persona.clientTools],
  ] as const) {
    tools.forEach((tool, index) => {
      if (seen.has(tool.name)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: [field, index, 'name'],
          message: `another tool is already named '${tool.name}'`,
        });
      }
      seen.add(tool.name);
    });
  }
  persona.handoffs.forEach((handoff, index) => {
    if (handoff.personaId === persona.id) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['handoffs', index, 'personaId'],
        message: 'a persona cannot hand off to itself',
      });
    }
  });
});
