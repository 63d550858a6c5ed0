// Each provider's connection, its buttons, the live login view and the add-provider form.
import { api } from './api.js';
import { h, announce, errorBox, field, formValues, timeLeft, when } from './dom.js';
import { showLogin } from './login.js';

export const title = 'Connections';

const STATES = {
  connected: ['Connected', 'ok'],
  needs_reauth: ['Needs re-auth', 'bad'],
  unconfirmed_account: ['Account to confirm', 'warn'],
  none: ['Not connected', 'off'],
};
// The daemon's provider types (ProviderKind) and the AI CLIs' shipped drivers (resources/drivers).
const TYPES = ['github', 'oidc-device', 'static', 'codex', 'claude-code', 'gemini-cli'];

export function render(view, signal) {
  const live = h('div', { id: 'live' });
  const list = h('div', { id: 'providers', class: 'cards' });
  const problems = h('div');
  view.append(h('h1', {}, 'Connections'), problems, live, list, addForm(refresh));

  async function refresh() {
    try {
      const status = await api('GET', '/v1/status');
      if (signal.aborted) return;
      list.replaceChildren(...status.providers.map(card));
      if (status.providers.length === 0) list.append(h('p', {}, 'No provider yet: add one below.'));
      problems.replaceChildren();
    } catch (error) {
      problems.replaceChildren(errorBox(error));
    }
  }

  function card(p) {
    const [label, tone] = STATES[p.credential_state] || [p.credential_state, 'off'];
    const connected = p.credential_state !== 'none';
    const buttons = h('div', { class: 'actions' });
    if (p.type === 'static') {
      buttons.append(secretForm(p.name, connected));
    } else {
      buttons.append(h('button', { type: 'button', 'data-provider': p.name, class: 'connect',
        onclick: () => start(p.name, connected) }, (connected ? 'Reconnect ' : 'Connect ') + p.name));
    }
    if (connected) {
      buttons.append(h('button', { type: 'button', class: 'secondary', onclick: () => disconnect(p.name) },
        'Disconnect ' + p.name));
    }
    return h('article', { class: 'card', 'data-provider': p.name, 'aria-labelledby': 'provider-' + p.name },
      h('h2', { id: 'provider-' + p.name }, p.name, ' ', h('span', { class: 'badge ' + tone, 'data-state': p.credential_state }, label)),
      h('dl', {},
        h('dt', {}, 'Type'), h('dd', {}, p.type + (p.host ? ' · ' + p.host : '')),
        h('dt', {}, 'Account'), h('dd', {}, p.account || '—'),
        h('dt', {}, 'Scopes'), h('dd', {}, p.scopes || '—'),
        h('dt', {}, 'Expires'), h('dd', {}, when(p.expires_at) + (p.seconds_left !== null ? ' (' + timeLeft(p.seconds_left) + ' left)' : ''))),
      p.degraded && h('p', { class: 'error' }, 'Degraded: ' + p.degraded_reason),
      p.last_error && h('p', { class: 'help' }, 'Last error: ' + p.last_error),
      buttons);
  }

  async function start(provider, force) {
    try {
      const session = await api('POST', '/v1/logins', { provider, force });
      showLogin(live, session, signal, () => refresh());
      live.querySelector('h2').focus();
    } catch (error) {
      live.replaceChildren(errorBox(error));
    }
  }

  /** A static provider has no login: its secret is typed here and stored sealed, never shown again. */
  function secretForm(provider, connected) {
    const id = 'secret-' + provider;
    const form = h('form', { class: 'inline', onsubmit: async (event) => {
      event.preventDefault();
      try {
        await api('PUT', '/v1/credentials/' + encodeURIComponent(provider), formValues(form));
        announce(provider + ' secret saved');
        refresh();
      } catch (error) {
        problems.replaceChildren(errorBox(error));
      }
    } },
    field(id, (connected ? 'Replace the secret of ' : 'Secret for ') + provider,
      h('input', { name: 'secret', type: 'password', required: true, autocomplete: 'off' })),
    h('button', { type: 'submit' }, 'Save secret'));
    return form;
  }

  async function disconnect(provider) {
    try {
      await api('POST', '/v1/credentials/' + encodeURIComponent(provider) + '/logout');
      announce(provider + ' disconnected');
      refresh();
    } catch (error) {
      problems.replaceChildren(errorBox(error));
    }
  }

  refresh();
}

function addForm(onAdded) {
  const type = h('select', { name: 'type', required: true }, ...TYPES.map((t) => h('option', { value: t }, t)));
  const message = h('div', { role: 'status' });
  const form = h('form', { class: 'stack', onsubmit: async (event) => {
    event.preventDefault();
    try {
      const added = await api('POST', '/v1/providers', formValues(form));
      message.replaceChildren(h('p', {}, 'Added ' + added.name + '.'));
      form.reset();
      onAdded();
    } catch (error) {
      message.replaceChildren(errorBox(error));
    }
  } },
  field('add-name', 'Name', h('input', { name: 'name', required: true, autocomplete: 'off' })),
  field('add-type', 'Type', type),
  field('add-host', 'Host', h('input', { name: 'host', autocomplete: 'off' }), 'The git host it serves, e.g. github.com'),
  field('add-username', 'Username (static)', h('input', { name: 'username', autocomplete: 'off' }), 'The user name git sends with a static secret'),
  field('add-client', 'OAuth client id', h('input', { name: 'client_id', autocomplete: 'off' })),
  field('add-base', 'Base URL (GitHub Enterprise)', h('input', { name: 'base_url', type: 'url', autocomplete: 'off' })),
  field('add-issuer', 'Issuer (OIDC)', h('input', { name: 'issuer', type: 'url', autocomplete: 'off' })),
  field('add-scopes', 'Scopes', h('input', { name: 'scopes', autocomplete: 'off' })),
  h('button', { type: 'submit' }, 'Add provider'), message);
  return h('section', { 'aria-labelledby': 'add-title', class: 'panel' }, h('h2', { id: 'add-title' }, 'Add a provider'), form);
}
