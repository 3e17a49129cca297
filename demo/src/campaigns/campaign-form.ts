import {
  CampaignInputSchema,
  RetryableOutcomeSchema,
  type Campaign,
  type CampaignInput,
  type OutboundTrunk,
  type Persona,
} from '@parley/contracts';
import { adminForm, type Validator } from '../admin-section.js';
import { h } from '../dom.js';
import { checkboxGroup, group, listField, optionalField } from '../form/group-fields.js';
import { numberField, textField } from '../form/leaf-fields.js';
import { timeZoneField, weekdaySpans, weeklySpanFields } from '../form/weekly-hours-fields.js';
import { personaField, trunkField, withoutEmptyChoices } from '../phone/outbound-call-fields.js';
import { errorNotice } from '../studio-context.js';
import type { CampaignApi } from './campaign-api.js';
import { describeAdded } from './campaign-summary.js';
import { contactsField, contactsIssues } from './contacts-field.js';
import { isBlankCsv } from './contacts-csv.js';

interface NewCampaign {
  input: CampaignInput;
  /** The contacts' CSV, sent once the draft exists. */
  csv: string | undefined;
}

/** The campaign's settings by the server's own schema, and the contacts' CSV by a light check. */
const NewCampaignSchema: Validator<NewCampaign> = {
  safeParse(value) {
    const { contactsCsv, ...input } = value as Record<string, unknown>;
    const parsed = CampaignInputSchema.safeParse(input);
    const csvIssues = contactsIssues(contactsCsv, 'contactsCsv', false);
    if (!parsed.success || csvIssues.length > 0) {
      const issues = parsed.success ? [] : parsed.error.issues;
      return { success: false, error: { issues: [...issues, ...csvIssues] } };
    }
    const csv =
      typeof contactsCsv === 'string' && !isBlankCsv(contactsCsv) ? contactsCsv : undefined;
    return { success: true, data: { input: parsed.data, csv } };
  },
};

const RETRY_CHOICES = RetryableOutcomeSchema.options.map((outcome) => ({
  value: outcome,
  label: outcome.replace('_', ' '),
}));

function campaignFields(personas: readonly Persona[], trunks: readonly OutboundTrunk[]) {
  return {
    name: textField('Name', undefined, { placeholder: 'Spring check-in' }),
    persona: personaField(personas),
    trunk: trunkField(trunks),
    from: textField('Caller id', undefined, {
      optional: true,
      placeholder: '+14155550100',
      hint: 'One of the trunk’s numbers; unset, the trunk’s first.',
    }),
    maxConcurrentCalls: numberField('Most calls at once', 1, { min: 1, max: 100 }),
    ringTimeoutSeconds: numberField('Ring for (s)', 30, {
      min: 5,
      max: 120,
      hint: 'Then the attempt counts as not answered.',
    }),
    retry: group('Retries', {
      retryOn: checkboxGroup('Call again after', RETRY_CHOICES, ['no_answer', 'busy']),
      retryAfterSeconds: numberField('Wait before the next attempt (s)', 3600, {
        min: 5,
        max: 7 * 24 * 3600,
        hint: '3600 is an hour; counted from the end of the call, within the calling window.',
      }),
      maxAttempts: numberField('Attempts per contact', 3, {
        min: 1,
        max: 10,
        hint: 'The first one included.',
      }),
    }),
    callingWindow: optionalField(
      'Its own calling window (else the persona’s calling hours)',
      group('Calling window', {
        timeZone: timeZoneField(undefined),
        weekly: listField(
          'Weekly calling spans',
          weekdaySpans('09:00', '18:00'),
          (span) => weeklySpanFields(span, { open: 'From', close: 'To', defaultClose: '18:00' }),
          { itemName: 'calling span' },
        ),
      }),
      false,
    ),
    contactsCsv: contactsField(),
  };
}

/**
 * A new campaign: its settings make a draft (`POST /v1/campaigns`), then its contacts, as CSV,
 * are added to it (`text/csv`). `created` is told the draft and what to say about it; a refusal
 * of the contacts leaves the draft, to which they can be added again.
 */
export function campaignForm(
  api: CampaignApi,
  personas: readonly Persona[],
  trunks: readonly OutboundTrunk[],
  created: (campaign: Campaign, message: string | Node) => void,
): HTMLFormElement {
  return adminForm({
    label: 'New campaign',
    submitLabel: 'Create draft',
    fields: campaignFields(personas, trunks),
    schema: NewCampaignSchema,
    prepare: withoutEmptyChoices,
    submit: async ({ input, csv }) => {
      const campaign = await api.create(input);
      let message: string | Node = `Draft “${campaign.name}” created, without contacts yet.`;
      if (csv !== undefined) {
        try {
          const added = await api.addContactsCsv(campaign.id, csv);
          message = `Draft “${campaign.name}” created: ${describeAdded(added)}.`;
        } catch (error) {
          message = h(
            'div',
            {},
            `Draft “${campaign.name}” created, but its contacts were refused: add them again below.`,
            errorNotice(error),
          );
        }
      }
      created(campaign, message);
      return message;
    },
  });
}
