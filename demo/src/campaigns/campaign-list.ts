import type { Campaign } from '@parley/contracts';
import { h } from '../dom.js';
import { dataTable, type Column } from '../paged-table.js';
import { NEW_CAMPAIGN, routeHref } from '../route.js';
import { errorNotice } from '../studio-context.js';
import { campaignActions, focusActionsOf } from './campaign-actions.js';
import type { CampaignApi } from './campaign-api.js';
import { PROGRESS_COLUMNS } from './campaign-columns.js';

function campaignHref(campaign: Campaign): string {
  return routeHref({ view: 'campaigns', campaignId: campaign.id });
}

/**
 * Every campaign with its status and progress, and the buttons its status allows. After an
 * action the list is read again and focus stays with that campaign's buttons.
 */
export async function campaignList(api: CampaignApi): Promise<HTMLElement> {
  const outcome = h('div', { class: 'status-line', role: 'status' });
  const holder = h('div', { class: 'campaign-table' });
  const refresh = h('button', { type: 'button', class: 'secondary' }, 'Refresh');

  const changed = async (message: string | Node, campaign: Campaign) => {
    outcome.replaceChildren(message);
    await reload();
    const link = holder.querySelector<HTMLElement>(`a[href="${campaignHref(campaign)}"]`);
    focusActionsOf(holder, campaign.id, link ?? refresh);
  };

  const columns: Column<Campaign>[] = [
    {
      label: 'Campaign',
      cell: (campaign) => h('a', { href: campaignHref(campaign) }, campaign.name),
    },
    { label: 'Persona', cell: (campaign) => campaign.personaId },
    ...PROGRESS_COLUMNS,
    {
      label: 'Actions',
      cell: (campaign) => campaignActions(campaign, { api, changed }) ?? '—',
    },
  ];

  /** Reads the campaigns again; answers whether that worked (else the error is shown). */
  const reload = async (): Promise<boolean> => {
    try {
      const campaigns = await api.list();
      holder.replaceChildren(
        campaigns.length > 0
          ? dataTable('Campaigns, newest first', columns, campaigns)
          : h('p', { class: 'muted' }, 'No campaign yet: create one to call a list of contacts.'),
      );
      return true;
    } catch (error) {
      holder.replaceChildren(errorNotice(error));
      return false;
    }
  };

  refresh.addEventListener('click', () => {
    void reload().then((ok) => ok && outcome.replaceChildren('The campaigns are up to date.'));
  });
  await reload();
  return h(
    'div',
    {},
    h(
      'div',
      { class: 'form-actions' },
      h(
        'a',
        { class: 'button', href: routeHref({ view: 'campaigns', campaignId: NEW_CAMPAIGN }) },
        'New campaign',
      ),
      refresh,
    ),
    outcome,
    holder,
  );
}
