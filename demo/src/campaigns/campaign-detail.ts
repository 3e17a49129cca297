import type { Campaign, CampaignContact } from '@parley/contracts';
import { adminForm } from '../admin-section.js';
import { factList, h, type Child } from '../dom.js';
import { formatDateTime } from '../format.js';
import { dataTable } from '../paged-table.js';
import { routeHref } from '../route.js';
import { errorNotice } from '../studio-context.js';
import { campaignActions, focusActionsOf } from './campaign-actions.js';
import type { CampaignApi } from './campaign-api.js';
import { PROGRESS_COLUMNS } from './campaign-columns.js';
import {
  describeAdded,
  describeRetry,
  describeStatuses,
  describeWindow,
} from './campaign-summary.js';
import { CONTACT_COLUMNS } from './contact-columns.js';
import { ContactsCsvSchema, contactsField } from './contacts-field.js';

function settings(campaign: Campaign): [string, Child][] {
  return [
    [
      'Persona',
      h(
        'a',
        { href: routeHref({ view: 'personas', personaId: campaign.personaId }) },
        campaign.personaId,
      ),
    ],
    ['Trunk', campaign.trunk ?? 'the persona’s, else the tenant’s first'],
    ['Caller id', campaign.from ?? 'the trunk’s first number'],
    ['Calling window', describeWindow(campaign.callingWindow)],
    ['Retries', describeRetry(campaign.retry)],
    ['Rings for', `${campaign.ringTimeoutSeconds} s`],
    ['Most calls at once', String(campaign.maxConcurrentCalls)],
    ['Created', formatDateTime(campaign.createdAt)],
    ['Started', formatDateTime(campaign.startedAt)],
    ['Ended', formatDateTime(campaign.completedAt)],
  ];
}

function facts(campaign: Campaign): HTMLDListElement {
  return factList([
    ...PROGRESS_COLUMNS.map((column): [string, Child] => [column.label, column.cell(campaign)]),
    ['Contacts', describeStatuses(campaign.stats)],
    ...settings(campaign),
  ]);
}

function contactTable(contacts: readonly CampaignContact[]): HTMLElement {
  return contacts.length > 0
    ? dataTable('Contacts, in the order they were added', CONTACT_COLUMNS, contacts)
    : h('p', { class: 'muted' }, 'No contacts yet: add them below.');
}

/**
 * One campaign: its progress and settings, the buttons its status allows, its contacts with
 * each attempt linked to its call record, and a form to add contacts while it has not ended.
 */
export async function campaignDetail(api: CampaignApi, campaignId: string): Promise<HTMLElement> {
  const heading = h('h3', { tabindex: -1 }, 'Campaign');
  const outcome = h('div', { class: 'status-line', role: 'status' });
  const summary = h('div', { class: 'campaign-summary' });
  const actions = h('div', { class: 'campaign-actions-holder' });
  const contacts = h('div', { class: 'campaign-contacts' });
  const refresh = h('button', { type: 'button', class: 'secondary small' }, 'Refresh');

  const changed = async (message: string | Node, campaign: Campaign) => {
    outcome.replaceChildren(message);
    await reload();
    focusActionsOf(actions, campaign.id, heading);
  };

  const addForm = adminForm({
    label: 'Add contacts',
    submitLabel: 'Add contacts',
    fields: { contacts: contactsField() },
    schema: ContactsCsvSchema,
    submit: async ({ contacts: csv }) => {
      const added = await api.addContactsCsv(campaignId, csv);
      await reload();
      return `${describeAdded(added)}.`;
    },
    reset: true,
  });
  const addSection = h('section', { hidden: true }, h('h4', {}, 'Add contacts'), addForm);

  /** Reads the campaign and its contacts again; answers whether that worked (else the error is shown). */
  const reload = async (): Promise<boolean> => {
    try {
      const [campaign, list] = await Promise.all([api.get(campaignId), api.contacts(campaignId)]);
      heading.textContent = campaign.name;
      summary.replaceChildren(facts(campaign));
      actions.replaceChildren(campaignActions(campaign, { api, changed }) ?? '');
      contacts.replaceChildren(contactTable(list));
      // the server takes no contacts once a campaign has ended
      addSection.hidden = campaign.status === 'cancelled' || campaign.status === 'completed';
      return true;
    } catch (error) {
      summary.replaceChildren(errorNotice(error));
      return false;
    }
  };

  refresh.addEventListener('click', () => {
    void reload().then((ok) => ok && outcome.replaceChildren('The campaign is up to date.'));
  });
  await reload();
  return h(
    'article',
    { class: 'campaign-detail' },
    h('p', {}, h('a', { href: routeHref({ view: 'campaigns' }) }, '← All campaigns')),
    heading,
    outcome,
    summary,
    h('div', { class: 'form-actions' }, actions, refresh),
    contacts,
    addSection,
  );
}
