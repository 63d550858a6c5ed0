// The audit log, newest first, filtered and paged by the daemon.
import { api } from './api.js';
import { h, errorBox, field, formValues, when } from './dom.js';

export const title = 'Audit';
const PAGE = 50;

export function render(view, signal) {
  const table = h('div', { id: 'audit-table', class: 'scroll', tabindex: '0', role: 'region', 'aria-label': 'Audit events' });
  const pager = h('div', { class: 'actions' });
  const pages = [];
  let query = {};
  const form = h('form', { class: 'filters', onsubmit: (event) => {
    event.preventDefault();
    query = formValues(form);
    pages.length = 0;
    load();
  } },
  field('audit-workspace', 'Workspace', h('input', { name: 'workspace', autocomplete: 'off' })),
  field('audit-provider', 'Provider', h('input', { name: 'provider', autocomplete: 'off' })),
  field('audit-action', 'Action', h('input', { name: 'action', autocomplete: 'off' }), 'e.g. vend, login, workspace.create'),
  field('audit-since', 'Since', h('input', { name: 'since', autocomplete: 'off' }), 'A duration back (15m, 2h, 7d) or an ISO time'),
  field('audit-until', 'Until', h('input', { name: 'until', autocomplete: 'off' }), 'The same forms; empty means now'),
  h('button', { type: 'submit' }, 'Filter'));
  view.append(h('h1', {}, 'Audit'), form, table, pager);

  async function load(before) {
    const params = new URLSearchParams({ ...query, limit: String(PAGE), order: 'newest' });
    if (before) params.set('before', before);
    try {
      const answer = await api('GET', '/v1/audit?' + params);
      if (signal.aborted) return;
      draw(answer.events, before);
    } catch (error) {
      table.replaceChildren(errorBox(error));
    }
  }

  function draw(events, before) {
    table.replaceChildren(h('table', {},
      h('caption', {}, events.length ? 'Audit events, newest first' : 'No audit event matches'),
      h('thead', {}, h('tr', {}, ['Time', 'Actor', 'Action', 'Target', 'Result', 'Detail'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, events.map((e) => h('tr', {},
        h('td', {}, when(e.at)), h('td', {}, e.actor), h('td', {}, e.action), h('td', {}, e.target),
        h('td', { class: e.result === 'ok' ? '' : 'bad-text' }, e.result), h('td', {}, e.detail || ''))))));
    pager.replaceChildren();
    if (before) {
      pager.append(h('button', { type: 'button', id: 'audit-newer', class: 'secondary', onclick: () => load(pages.pop()) }, 'Newer'));
    }
    if (events.length === PAGE) {
      pager.append(h('button', { type: 'button', id: 'audit-older', class: 'secondary', onclick: () => {
        pages.push(before);
        load(events.at(-1).id);
      } }, 'Older'));
    }
  }

  load();
}
