import { ApiError, getJson, paths, session } from './api.js';
import { h, mount } from './dom.js';

/** The sign-in form: a token from `docq user add <name>`, checked with GET /me, kept for this tab only. */
export function renderSignIn(view, { message, onSignedIn }) {
  const input = h('input#token', {
    type: 'password',
    autocomplete: 'off',
    spellcheck: 'false',
    placeholder: 'paste your token',
    'aria-label': 'Reviewer token',
  });
  const error = h('p.error', { role: 'alert' }, message ?? '');
  const form = h(
    'form.signin',
    {
      onsubmit: async (event) => {
        event.preventDefault();
        const token = input.value.trim();
        if (!token) return;
        session.signIn(token);
        try {
          onSignedIn(await getJson(paths.me()));
        } catch (e) {
          session.signOut();
          error.textContent =
            e instanceof ApiError && e.status === 401 ? 'This token is not known. Check it and try again.' : e.message;
          input.select();
        }
      },
    },
    h('h1', {}, 'Sign in to review'),
    h(
      'p.muted',
      {},
      'Use the token printed by ',
      h('code', {}, 'docq user add <name>'),
      '. It is kept in this tab only and every decision is recorded under its name.',
    ),
    input,
    h('button.primary', { type: 'submit' }, 'Sign in'),
    error,
  );
  mount(view, h('div.signin-wrap', {}, form));
  input.focus();
  return () => {};
}
