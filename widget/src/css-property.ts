import { noChange, type ElementPart } from 'lit';
import { Directive, PartType, directive, type PartInfo } from 'lit/directive.js';

/**
 * Sets one CSS custom property on an element through the CSSOM, on every render including the
 * first. Lit's `styleMap` writes a `style="…"` attribute on first render, which a strict
 * `style-src` Content Security Policy blocks.
 */
class CssPropertyDirective extends Directive {
  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.ELEMENT) {
      throw new Error('cssProperty() belongs on an element, e.g. <span ${cssProperty(…)}>');
    }
  }

  render(_name: string, _value: string): typeof noChange {
    return noChange;
  }

  override update(part: ElementPart, [name, value]: [string, string]): typeof noChange {
    if (part.element instanceof HTMLElement || part.element instanceof SVGElement) {
      part.element.style.setProperty(name, value);
    }
    return noChange;
  }
}

export const cssProperty = directive(CssPropertyDirective);
