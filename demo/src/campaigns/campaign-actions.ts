import type { Campaign, CampaignAction } from '@parley/contracts';
import { focusElement, h, whileBusy } from '../dom.js';
import { errorNotice } from '../studio-context.js';
import type { CampaignApi } from './campaign-api.js';
import { ACTION_WORDS, actionsFor } from './campaign-summary.js';

export interface CampaignActionOptions {
  api: CampaignApi;
  /**
   * The action went through, or the server refused it (`conflict` when the status changed
   * meanwhile): say `message`, and show the campaign as it is now.
   */
  changed(message: string | Node, campaign: Campaign): Promise<void>;
}

/** Asked before cancelling: it cannot be undone. */
function confirmCancel(campaign: Campaign): boolean {
  return window.confirm(
    `Cancel “${campaign.name}”? Its contacts still waiting will not be called, and a cancelled campaign cannot be started again.`,
  );
}

/**
 * The buttons for what the campaign's status allows (start, pause, resume, cancel), each named
 * with the campaign ("Pause Spring check-in") as several stand in one table; none once it ended.
 */
export function campaignActions(
  campaign: Campaign,
  options: CampaignActionOptions,
): HTMLElement | undefined {
  const actions = actionsFor(campaign.status);
  if (actions.length === 0) return undefined;
  const element = h('div', { class: 'campaign-actions', 'data-campaign': campaign.id });
  for (const action of actions) {
    const { label } = ACTION_WORDS[action];
    const button = h(
      'button',
      {
        type: 'button',
        class: action === 'cancel' ? 'secondary small' : 'small',
        'aria-label': `${label} ${campaign.name}`,
      },
      label,
    );
    button.addEventListener('click', () => {
      if (action === 'cancel' && !confirmCancel(campaign)) return;
      whileBusy(button, () =>
        options.api.act(campaign.id, action).then(
          (updated) => options.changed(actionDone(updated, action), updated),
          (error: unknown) => options.changed(errorNotice(error), campaign),
        ),
      );
    });
    element.append(button);
  }
  return element;
}

/** `Campaign “Spring check-in” started (running).` */
function actionDone(campaign: Campaign, action: CampaignAction): string {
  return `Campaign “${campaign.name}” ${ACTION_WORDS[action].done} (${campaign.status}).`;
}

/**
 * After the campaign's buttons were drawn again: focus goes to its first button (start → pause),
 * or to `fallback` when none is left, so the keyboard keeps its place.
 */
export function focusActionsOf(root: ParentNode, campaignId: string, fallback: HTMLElement): void {
  const actions = [...root.querySelectorAll<HTMLElement>('.campaign-actions')].find(
    (element) => element.dataset['campaign'] === campaignId,
  );
  focusElement(actions?.querySelector('button') ?? fallback);
}
