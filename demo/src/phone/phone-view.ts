import { h } from '../dom.js';
import { adminView, type StudioContext, type View } from '../studio-context.js';
import { dialPolicySection, doNotCallSection } from './dial-rules-section.js';
import { numberSection } from './number-section.js';
import { outboundCallSection } from './outbound-call-section.js';
import { trunkSection } from './trunk-section.js';

/**
 * Phone: the tenant's numbers and the personas that answer them, outbound trunks, the
 * do-not-call list, the dial policy, and "call a number".
 */
export function phoneView(context: StudioContext): View {
  return adminView(context, {
    name: 'phone',
    title: 'Phone',
    purpose: 'manage phone numbers and calls',
    page: async (api) => {
      const personas = await context.personas();
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
      for (const section of sections) void section.reload();
      return h('div', {}, outcome, ...sections.map((section) => section.element));
    },
  });
}
