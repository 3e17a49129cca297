import type { AdminApi } from '../admin-api.js';
import { h } from '../dom.js';
import { NEW_CAMPAIGN, routeHref } from '../route.js';
import { adminView, type StudioContext, type View } from '../studio-context.js';
import { CampaignApi } from './campaign-api.js';
import { campaignDetail } from './campaign-detail.js';
import { campaignForm } from './campaign-form.js';
import { campaignList } from './campaign-list.js';

/** The new-campaign page: the form, and where to go back to. */
async function newCampaign(
  context: StudioContext,
  api: AdminApi,
  created: Parameters<typeof campaignForm>[3],
): Promise<HTMLElement> {
  const [personas, trunks] = await Promise.all([context.personas(), api.listOutboundTrunks()]);
  return h(
    'div',
    {},
    h('p', {}, h('a', { href: routeHref({ view: 'campaigns' }) }, '← All campaigns')),
    h('h3', {}, 'New campaign'),
    h(
      'p',
      { class: 'hint' },
      'It is saved as a draft: nothing is dialled until it is started. The do-not-call list, the dial policy and the calling window are checked at each dial.',
    ),
    campaignForm(new CampaignApi(api), personas, trunks, created),
  );
}

/**
 * Campaigns: the list with each one's progress and actions (`#/campaigns`), a new one
 * (`#/campaigns/new`), and one with its contacts and their attempts (`#/campaigns/<id>`).
 */
export function campaignsView(context: StudioContext): View {
  let pending: string | Node | undefined;
  const view = adminView(context, {
    name: 'campaigns',
    title: 'Campaigns',
    purpose: 'run outbound campaigns',
    page: (api, route) => {
      const id = route.view === 'campaigns' ? route.campaignId : undefined;
      if (id === undefined) return campaignList(new CampaignApi(api));
      if (id !== NEW_CAMPAIGN) return campaignDetail(new CampaignApi(api), id);
      return newCampaign(context, api, (campaign, message) => {
        pending = message;
        context.navigate({ view: 'campaigns', campaignId: campaign.id });
      });
    },
  });
  // outlives the view's pages, so that a draft's creation is announced on the next one
  const notice = h('div', { class: 'status-line', role: 'status' });
  view.heading.after(notice);
  return {
    element: view.element,
    show(route) {
      notice.replaceChildren(pending ?? '');
      pending = undefined;
      view.show(route);
    },
  };
}
