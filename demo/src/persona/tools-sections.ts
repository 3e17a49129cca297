import {
  BUILTIN_TOOLS,
  WebhookToolSchema,
  type BuiltinTool,
  type ClientTool,
  type Persona,
  type WebhookTool,
} from '@parley/contracts';
import { checkboxGroup, group, listField } from '../form/group-fields.js';
import { jsonField, linesField, numberField, selectField, textField } from '../form/leaf-fields.js';
import { recordField } from '../form/record-field.js';
import type { FormSection } from './form-section.js';

const BUILTIN_LABELS: Record<BuiltinTool, string> = {
  end_call: 'end_call — hang up when the conversation is over',
  transfer_to_human: 'transfer_to_human — hand the caller to a person',
  capture_lead: 'capture_lead — save contact details and qualification',
  book_appointment: 'book_appointment — book a slot within business hours',
  lookup_knowledge: 'lookup_knowledge — search the knowledge entries',
  schedule_callback: 'schedule_callback — call the caller back at the time they ask for',
};

const EMPTY_PARAMETERS = { type: 'object', properties: {} };
const PHRASES_HINT = 'One per line: phrases that make the scripted responder call this tool.';
const TOOL_NAME_HINT = 'Letters, digits, _ and -, starting with a letter or _.';

function webhookToolFields(tool: WebhookTool | undefined) {
  return {
    name: textField('Name', tool?.name, { hint: TOOL_NAME_HINT }),
    description: textField('Description', tool?.description, { multiline: true, rows: 2 }),
    method: selectField(
      'Method',
      tool?.method ?? 'POST',
      WebhookToolSchema.shape.method.removeDefault().options.map((method) => ({
        value: method,
        label: method,
      })),
    ),
    url: textField('URL', tool?.url, { type: 'url', placeholder: 'https://example.com/tool' }),
    parameters: jsonField('Parameters (JSON Schema)', tool?.parameters ?? EMPTY_PARAMETERS),
    headers: recordField('Headers', tool?.headers ?? {}, {
      itemName: 'header',
      hint: 'Values may use {{secret.NAME}} for a stored secret.',
    }),
    signingSecret: textField('Signing secret name', tool?.signingSecret ?? 'TOOL_SIGNING_KEY', {
      hint: 'The stored secret that signs requests (parley-signature).',
    }),
    timeoutMs: numberField('Timeout (ms)', tool?.timeoutMs ?? 5_000, { min: 100, max: 30_000 }),
    phrases: linesField('Phrases', tool?.phrases ?? [], { hint: PHRASES_HINT }),
  };
}

function clientToolFields(tool: ClientTool | undefined) {
  return {
    name: textField('Name', tool?.name, { hint: TOOL_NAME_HINT }),
    description: textField('Description', tool?.description, { multiline: true, rows: 2 }),
    parameters: jsonField('Parameters (JSON Schema)', tool?.parameters ?? EMPTY_PARAMETERS),
    timeoutMs: numberField('Timeout (ms)', tool?.timeoutMs ?? 8_000, { min: 100, max: 30_000 }),
    phrases: linesField('Phrases', tool?.phrases ?? [], { hint: PHRASES_HINT }),
  };
}

/** What the agent can do: built-in, webhook and client tools, and what it says while they run. */
export function toolsSection(persona: Persona): FormSection {
  return {
    title: 'Tools',
    fields: {
      tools: checkboxGroup(
        'Built-in tools',
        BUILTIN_TOOLS.map((tool) => ({ value: tool, label: BUILTIN_LABELS[tool] })),
        persona.tools,
      ),
      webhookTools: listField('Webhook tools', persona.webhookTools, webhookToolFields, {
        itemName: 'webhook tool',
        hint: 'The server calls your HTTP endpoint with the arguments; secrets never reach the agent.',
      }),
      clientTools: listField('Client tools', persona.clientTools, clientToolFields, {
        itemName: 'client tool',
        hint: 'Run by the visitor’s page (the widget’s registerTool), over LiveKit RPC.',
      }),
      filler: group(
        'Filler while a tool runs',
        {
          lines: linesField('Lines', persona.filler.lines, { hint: 'One per line.' }),
          afterMs: numberField('After (ms)', persona.filler.afterMs, { min: 200, max: 10_000 }),
        },
        { hint: 'Said when a tool takes longer than this, so the caller is not left in silence.' },
      ),
    },
  };
}
