/**
 * A few DOM helpers the studio is built with. Server data only ever reaches the page as text
 * (`textContent`, attribute values), never as markup.
 */

export type Child = Node | string | number | null | undefined | false;
export type Attributes = Record<string, string | number | boolean | null | undefined>;

function applyAttributes(element: Element, attributes: Attributes): void {
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
}

function append(element: Element, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
}

/** An HTML element with attributes (`false`/`undefined` ones left out) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  applyAttributes(element, attributes);
  append(element, children);
  return element;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An SVG element, as `h` builds HTML ones. */
export function s<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG_NS, tag);
  applyAttributes(element, attributes);
  append(element, children);
  return element;
}

/** Terms and their values as a `<dl class="facts">` (a call's, a campaign's). */
export function factList(rows: readonly (readonly [string, Child])[]): HTMLDListElement {
  return h(
    'dl',
    { class: 'facts' },
    ...rows.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]),
  );
}

let lastId = 0;

/** A document-unique id for label/description wiring. */
export function uniqueId(prefix: string): string {
  lastId += 1;
  return `${prefix}-${lastId}`;
}

/** The element matching `selector`, or a clear error when the page lacks it. */
export function required<T extends Element>(selector: string, root: ParentNode = document): T {
  const element = root.querySelector<T>(selector);
  if (!element) throw new Error(`the studio page is missing ${selector}`);
  return element;
}

/** Moves keyboard focus to `element` (made focusable for scripts only if it is not already). */
export function focusElement(element: HTMLElement): void {
  if (element.tabIndex < 0 && !element.hasAttribute('tabindex')) element.tabIndex = -1;
  element.focus();
}

/**
 * Runs `work` for a click on `button`, which is marked busy meanwhile and ignores more clicks:
 * `aria-disabled` rather than `disabled`, as disabling the focused button would drop keyboard
 * focus to the page.
 */
export function whileBusy(button: HTMLButtonElement, work: () => Promise<void>): void {
  if (button.getAttribute('aria-disabled') === 'true') return;
  button.setAttribute('aria-disabled', 'true');
  void work().finally(() => button.removeAttribute('aria-disabled'));
}
