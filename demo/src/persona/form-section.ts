import type { Fields } from '../form/group-fields.js';

/**
 * A titled, collapsible part of the persona form. Its fields are top-level persona properties:
 * sections are layout only, they add no nesting to the value.
 */
export interface FormSection {
  title: string;
  hint?: string;
  open?: boolean;
  fields: Fields;
}
