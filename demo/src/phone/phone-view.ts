import { h } from '../dom.js';
import {
  errorNotice,
  signedOutNotice,
  viewSection,
  type StudioContext,
  type View,
} from '../studio-context.js';
import { dialPolicySection, doNotCallSection } from './dial-rules-section.js';
import { numberSection } from './number-section.js';
import { outboundCallSection } from './outbound-call-section.js';
import { trunkSection } from './trunk-section.js';

/**
 * Phone: the tenant's numbers and the personas that answer them, outbound trunks, the
 * do-not-call list, the dial policy, and "call a number".
 */
export function phoneView(context: StudioContext): View {
  const { element, body } = viewSection('phone', 'Phone');
  let shown = 0;
  return {
    element,
    show() {
      shown += 1;
      const token = shown;
      const api = context.api;
      if (!api) {
        body.replaceChildren(signedOutNotice('manage phone numbers and calls'));
        return;
      }
      body.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
      context
        .personas()
        .then(async (personas) => {
          if (token !== shown) return;
          // removals report here: their buttons go away with the table they were in
          const outcome = h('div', { class: 'status-line', role: 'status' });
          const report = (message: string | Node) => outcome.replaceChildren(message);
          const sections = [
            numberSection(api, personas, report),
            trunkSection(api, report),
            doNotCallSection(api, report),
            dialPolicySection(api),
            outboundCallSection(api, personas),
          ];
          body.replaceChildren(outcome, ...sections.map((section) => section.element));
          await Promise.all(sections.map((section) => section.reload()));
        })
        .catch((error: unknown) => {
          if (token === shown) body.replaceChildren(errorNotice(error));
        });
    },
  };
}
