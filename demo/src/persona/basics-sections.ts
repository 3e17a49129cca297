import {
  LlmProviderSchema,
  SttProviderSchema,
  TtsProviderSchema,
  type Persona,
} from '@parley/contracts';
import { h } from '../dom.js';
import type { Field } from '../form/field.js';
import { group, listField } from '../form/group-fields.js';
import { linesField, selectField, textField, type Choice } from '../form/leaf-fields.js';
import { recordField } from '../form/record-field.js';
import type { FormSection } from './form-section.js';

type Stt = Persona['providers']['stt'];
type Llm = Persona['providers']['llm'];
type Tts = Persona['providers']['tts'];

const STT_LABELS: Record<Stt, string> = {
  auto: 'auto',
  offline: 'offline (PocketSphinx)',
  deepgram: 'Deepgram (cloud)',
};
const LLM_LABELS: Record<Llm, string> = {
  auto: 'auto',
  scripted: 'scripted (offline, not an LLM)',
  openai: 'OpenAI-compatible LLM',
};
const TTS_LABELS: Record<Tts, string> = {
  auto: 'auto',
  offline: 'offline (Flite or Festival)',
  cartesia: 'Cartesia (cloud)',
};

function choices<T extends string>(values: readonly T[], labels: Record<T, string>): Choice[] {
  return values.map((value) => ({ value, label: labels[value] }));
}

/**
 * The offline TTS's voices (Debian's `flite` and `festival`; agent/src/providers/offline-tts.ts):
 * `default` is Flite's `rms`, the clearest to the recogniser.
 */
const OFFLINE_VOICES = [
  'default',
  'flite:rms',
  'flite:slt',
  'flite:awb',
  'flite:kal16',
  'festival:slt-hts',
  'festival:kal',
  'festival:ked',
] as const;

const LANGUAGES = ['en-US', 'en-GB', 'fr-FR', 'de-DE', 'es-ES'];

/** A random embed key (24 bytes, base64url): public, it pairs with the allowed origins. */
function randomEmbedKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');
}

function embedKeyField(value: string | undefined): Field {
  const field = textField('Embed key', value, {
    optional: true,
    hint: 'Optional. When set, web sessions must present it; it pairs with the allowed origins.',
  });
  const generate = h('button', { type: 'button', class: 'secondary' }, 'Generate embed key');
  generate.addEventListener('click', () => {
    field.control.value = randomEmbedKey();
    field.control.focus();
  });
  field.element.append(generate);
  return field;
}

/** Who the persona is and what it says: identity, engines, knowledge, variables, web access. */
export function basicsSections(persona: Persona, isNew: boolean): FormSection[] {
  return [
    {
      title: 'Identity',
      open: true,
      fields: {
        id: textField('Id', persona.id, {
          readOnly: !isNew,
          hint: isNew
            ? 'Lowercase letters, digits and dashes; used in embeds and cannot change later.'
            : 'The id cannot change.',
        }),
        name: textField('Name', persona.name),
        language: textField('Language', persona.language, {
          suggestions: LANGUAGES,
          hint: 'A BCP 47 tag such as en-US.',
        }),
        voice: textField('Voice', persona.voice, {
          suggestions: OFFLINE_VOICES,
          hint: 'Offline: default (flite:rms), another flite:… voice or a festival:… voice. Cartesia: a voice id (UUID).',
        }),
        greeting: textField('Greeting', persona.greeting, { multiline: true, rows: 2 }),
        instructions: textField('Instructions', persona.instructions, {
          multiline: true,
          rows: 5,
          hint: 'The system prompt of an LLM; {{name}} placeholders are filled from variables.',
        }),
        fallback: textField('Fallback reply', persona.fallback, {
          multiline: true,
          rows: 2,
          hint: 'Said when nothing in the knowledge matches.',
        }),
      },
    },
    {
      title: 'Providers',
      open: true,
      hint:
        'Which engine runs each stage. auto takes the cloud engine when its API key is set on the ' +
        'agent, else the offline one: without keys, replies come from the scripted responder.',
      fields: {
        providers: group('Engines', {
          stt: selectField(
            'Speech to text',
            persona.providers.stt,
            choices(SttProviderSchema.options, STT_LABELS),
          ),
          llm: selectField(
            'Replies',
            persona.providers.llm,
            choices(LlmProviderSchema.options, LLM_LABELS),
          ),
          tts: selectField(
            'Text to speech',
            persona.providers.tts,
            choices(TtsProviderSchema.options, TTS_LABELS),
          ),
        }),
      },
    },
    {
      title: 'Knowledge',
      open: true,
      hint: 'Questions and answers: the scripted responder answers from these; an LLM is given them.',
      fields: {
        knowledge: listField(
          'Knowledge entries',
          persona.knowledge,
          (entry) => ({
            question: textField('Question', entry?.question),
            answer: textField('Answer', entry?.answer, { multiline: true, rows: 2 }),
          }),
          { itemName: 'knowledge entry' },
        ),
      },
    },
    {
      title: 'Variables',
      hint: 'Default values for {{placeholders}}; a session’s own variables override them.',
      fields: {
        variables: recordField('Variables', persona.variables, {
          itemName: 'variable',
          typed: true,
        }),
      },
    },
    {
      title: 'Web access',
      fields: {
        allowedOrigins: linesField('Allowed origins', persona.allowedOrigins, {
          hint: 'One per line, exactly as the browser sends it (https://shop.example), or * for any.',
        }),
        embedKey: embedKeyField(persona.embedKey),
      },
    },
  ];
}
