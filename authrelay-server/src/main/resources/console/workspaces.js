// Workspaces: create with grants (the token shown once, with the lines to paste), list, revoke, rotate.
import { api } from './api.js';
import { h, copyButton, announce, errorBox, field, when } from './dom.js';

export const title = 'Workspaces';

export function render(view, signal) {
  const issued = h('div', { id: 'issued' });
  const list = h('div', { id: 'workspace-list', class: 'cards' });
  const problems = h('div');
  view.append(h('h1', {}, 'Workspaces'), problems, issued, createForm(), list);

  async function refresh() {
    try {
      const answer = await api('GET', '/v1/workspaces');
      if (signal.aborted) return;
      list.replaceChildren(...answer.workspaces.map(card));
      if (answer.workspaces.length === 0) list.append(h('p', {}, 'No workspace yet.'));
    } catch (error) {
      problems.replaceChildren(errorBox(error));
    }
  }

  function card(w) {
    const actions = h('div', { class: 'actions' });
    if (w.state === 'active') {
      actions.append(
        h('button', { type: 'button', class: 'secondary', onclick: () => act(w.name, 'rotate') }, 'Rotate token of ' + w.name),
        h('button', { type: 'button', class: 'danger', onclick: () => act(w.name, 'revoke') }, 'Revoke ' + w.name));
    }
    return h('article', { class: 'card', 'data-workspace': w.name, 'aria-labelledby': 'ws-' + w.name },
      h('h2', { id: 'ws-' + w.name }, w.name, ' ', h('span', { class: 'badge ' + (w.state === 'active' ? 'ok' : 'off'), 'data-state': w.state }, w.state)),
      h('dl', {},
        h('dt', {}, 'Grants'), h('dd', {}, w.grants.map((g) => g.provider + (g.path ? ' ' + g.path : '') + (g.allow_exec ? ' (exec)' : '')).join(', ') || '—'),
        h('dt', {}, 'Created'), h('dd', {}, when(w.created_at)),
        h('dt', {}, 'Expires'), h('dd', {}, when(w.expires_at))),
      actions);
  }

  async function act(name, action) {
    try {
      const answer = await api('POST', '/v1/workspaces/' + encodeURIComponent(name) + '/' + action);
      if (action === 'rotate') showToken(answer);
      else announce(name + ' revoked');
      refresh();
    } catch (error) {
      problems.replaceChildren(errorBox(error));
    }
  }

  function showToken(w) {
    const url = location.origin;
    const snippet = [
      'export AUTHRELAY_URL=' + url + ' AUTHRELAY_TOKEN=' + w.token,
      'authrelay setup-git',
      'authrelay exec --provider ' + (w.grants[0] ? w.grants[0].provider : 'PROVIDER') + ' -- YOUR-COMMAND',
      'authrelay materialize PROVIDER --home "$HOME"',
    ].join('\n');
    issued.replaceChildren(h('section', { class: 'panel issued', 'aria-labelledby': 'issued-title' },
      h('h2', { id: 'issued-title', tabindex: '-1' }, 'Token for ' + w.name),
      h('p', {}, 'Shown once: copy it now. The daemon keeps only its hash.'),
      h('p', {}, h('code', { id: 'workspace-token', class: 'token' }, w.token), ' ', copyButton('token', w.token)),
      h('p', {}, 'In the workspace:'),
      h('pre', { id: 'workspace-snippet' }, snippet), copyButton('snippet', snippet),
      (w.warnings || []).map((warning) => h('p', { class: 'help' }, warning)),
      h('button', { type: 'button', class: 'secondary', onclick: () => issued.replaceChildren() }, 'I have copied it; hide the token')));
    issued.querySelector('h2').focus();
  }

  function createForm() {
    const message = h('div', { role: 'status' });
    const form = h('form', { class: 'stack', onsubmit: async (event) => {
      event.preventDefault();
      const data = new FormData(form);
      const body = {
        name: data.get('name'),
        grants: String(data.get('grants')).split(/[\s,]+/).filter(Boolean),
        allow_exec: data.get('allow_exec') === 'on',
      };
      if (data.get('ttl')) body.ttl = data.get('ttl');
      try {
        showToken(await api('POST', '/v1/workspaces', body));
        form.reset();
        message.replaceChildren();
        refresh();
      } catch (error) {
        message.replaceChildren(errorBox(error));
      }
    } },
    field('ws-name', 'Name', h('input', { name: 'name', required: true, autocomplete: 'off' })),
    field('ws-grants', 'Grants', h('input', { name: 'grants', required: true, autocomplete: 'off' }),
      'Providers, separated by commas, each optionally with a host and path: github, github=github.com/org/repo'),
    field('ws-ttl', 'Lifetime (optional)', h('input', { name: 'ttl', autocomplete: 'off' }), 'For example 30d or 12h'),
    h('div', { class: 'check' }, h('input', { type: 'checkbox', id: 'ws-exec', name: 'allow_exec' }),
      h('label', { for: 'ws-exec' }, 'Allow exec (the token in a command\'s environment)')),
    h('button', { type: 'submit' }, 'Create workspace'), message);
    return h('section', { class: 'panel', 'aria-labelledby': 'create-title' }, h('h2', { id: 'create-title' }, 'Create a workspace'), form);
  }

  refresh();
}
