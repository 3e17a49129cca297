import { html, nothing, type TemplateResult } from 'lit';
import { phoneProblem, type Messages } from './i18n/catalog.js';
import type { HandoffEvent, PhoneHandoff } from './phone-handoff.js';

/** "Continue on my phone" in the in-call panel: the offer, the form, the confirmation. */
export function renderPhoneHandoff(
  handoff: PhoneHandoff,
  offered: boolean,
  t: Messages,
  on: (event: HandoffEvent) => void,
): TemplateResult | typeof nothing {
  if (handoff.step === 'closed' && !offered) return nothing;
  // Escape leaves the form or the confirmation, not the call
  const escape = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape' || handoff.step === 'closed' || handoff.step === 'dialing') return;
    event.stopPropagation();
    on({ type: 'cancel' });
  };
  return html`<div class="phone" @keydown=${escape}>
    ${renderStep(handoff, t, on)}
    <p part="phone-status" class="hint" role="status">
      ${handoff.step === 'dialing' ? t.phone.dialing : ''}
    </p>
  </div>`;
}

function renderStep(
  handoff: PhoneHandoff,
  t: Messages,
  on: (event: HandoffEvent) => void,
): TemplateResult | typeof nothing {
  switch (handoff.step) {
    case 'closed':
      return html`<button
        part="phone-button"
        class="secondary phone-offer"
        type="button"
        @click=${() => on({ type: 'open' })}
      >
        ${t.phone.offer}
      </button>`;
    case 'form': {
      const { problem } = handoff;
      const submit = (event: SubmitEvent): void => {
        event.preventDefault();
        const input = (event.currentTarget as HTMLFormElement).elements.namedItem('phone');
        on({ type: 'submit', number: input instanceof HTMLInputElement ? input.value : '' });
      };
      return html`<form part="phone-form" novalidate @submit=${submit}>
        <label for="phone">${t.phone.label}</label>
        <input
          id="phone"
          name="phone"
          type="tel"
          autocomplete="tel"
          inputmode="tel"
          required
          aria-describedby="phone-hint phone-problem"
          aria-invalid=${problem ? 'true' : 'false'}
          .value=${handoff.number}
        />
        <p id="phone-hint" class="hint">${t.phone.hint}</p>
        <p id="phone-problem" part="phone-problem" class="error" role="alert">
          ${problem ? phoneProblem(t, problem.code, problem.message) : ''}
        </p>
        <div class="actions">
          <button class="primary" type="submit">${t.phone.next}</button>
          <button class="secondary" type="button" @click=${() => on({ type: 'cancel' })}>
            ${t.phone.cancel}
          </button>
        </div>
      </form>`;
    }
    case 'confirm':
      return html`<p id="phone-confirm">${t.phone.confirm.replace('{number}', handoff.number)}</p>
        <div class="actions">
          <button
            part="phone-call-button"
            class="primary phone-call"
            type="button"
            aria-describedby="phone-confirm"
            @click=${() => on({ type: 'dial' })}
          >
            ${t.phone.callMe}
          </button>
          <button class="secondary" type="button" @click=${() => on({ type: 'back' })}>
            ${t.phone.back}
          </button>
        </div>`;
    case 'dialing':
      return nothing;
  }
}
