import { z } from 'zod';

/** Which engine runs a pipeline stage. `auto` picks the cloud provider when its key is set. */
export const SttProviderSchema = z.enum(['auto', 'offline', 'deepgram']);
export const LlmProviderSchema = z.enum(['auto', 'scripted', 'openai']);
export const TtsProviderSchema = z.enum(['auto', 'offline', 'cartesia']);

export const KnowledgeEntrySchema = z.object({
  question: z.string().min(1).max(500),
  answer: z.string().min(1).max(2000),
});

export const PersonaSchema = z.object({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and dashes, at most 63'),
  name: z.string().min(1).max(100),
  greeting: z.string().min(1).max(500),
  instructions: z.string().max(20_000),
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
  tools: z.array(z.string().min(1).max(64)).max(50).default([]),
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
