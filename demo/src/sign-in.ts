import { focusElement, h } from './dom.js';
import { describeError } from './admin-api.js';

/** The id of the admin key field, for "sign in" buttons elsewhere to move focus to. */
const ADMIN_KEY_FIELD = 'admin-key';

export interface SignInHandlers {
  /** Checks the key with the server and keeps it; throws the server's refusal. */
  signIn(key: string): Promise<void>;
  signOut(): void;
}

export interface SignInPanel {
  readonly element: HTMLElement;
  render(signedIn: boolean, message?: string): void;
}

/** Moves focus to the admin key field (from a view that needs the key). */
export function focusSignIn(): void {
  const field = document.getElementById(ADMIN_KEY_FIELD);
  if (field) focusElement(field);
}

/**
 * The admin key prompt (signed out) or the sign-out button (signed in). The key is checked
 * against the server before it is kept.
 */
export function signInPanel(handlers: SignInHandlers): SignInPanel {
  const element = h('div', { class: 'sign-in' });

  const signedOutForm = (message: string | undefined) => {
    const input = h('input', {
      id: ADMIN_KEY_FIELD,
      type: 'password',
      autocomplete: 'off',
      spellcheck: 'false',
      'aria-describedby': 'admin-key-hint admin-key-error',
    });
    const error = h(
      'p',
      { id: 'admin-key-error', class: 'error-line', role: 'alert' },
      message ?? '',
    );
    const submit = h('button', { type: 'submit' }, 'Sign in');
    const form = h(
      'form',
      { class: 'sign-in-form', 'aria-label': 'Sign in' },
      h('label', { for: input.id }, 'Admin key'),
      input,
      submit,
      h(
        'p',
        { id: 'admin-key-hint', class: 'hint' },
        'PARLEY_ADMIN_KEY, printed by npm run dev. Kept in this browser tab only (sessionStorage).',
      ),
      error,
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const key = input.value.trim();
      if (key === '') {
        error.textContent = 'Enter the admin key.';
        input.focus();
        return;
      }
      submit.disabled = true;
      error.textContent = '';
      handlers
        .signIn(key)
        .catch((failure: unknown) => {
          error.textContent = `That key was not accepted (${describeError(failure)}).`;
          input.focus();
        })
        .finally(() => {
          submit.disabled = false;
        });
    });
    return form;
  };

  const signedInBar = () => {
    const signOut = h('button', { type: 'button', class: 'secondary' }, 'Sign out');
    signOut.addEventListener('click', () => handlers.signOut());
    return h(
      'p',
      { class: 'signed-in' },
      h('span', {}, 'Signed in with the admin key'),
      ' ',
      signOut,
    );
  };

  return {
    element,
    render(signedIn, message) {
      element.replaceChildren(signedIn ? signedInBar() : signedOutForm(message));
    },
  };
}
