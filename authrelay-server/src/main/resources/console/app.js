// Sign-in, sign-out and the page router. Pages are modules with a title and render(view, signal).
import { api, tab, onSignedOut } from './api.js';
import { errorText } from './dom.js';
import * as connections from './connections.js';
import * as workspaces from './workspaces.js';
import * as audit from './audit.js';
import * as health from './health.js';

const pages = { connections, workspaces, audit, health };
const $ = (id) => document.getElementById(id);
let pageRun = null;

function showSignIn(error) {
  if (pageRun) pageRun.abort();
  tab.forget();
  $('nav').hidden = true;
  $('view').replaceChildren();
  $('signin').hidden = false;
  $('signin-error').textContent = error ? errorText(error) : '';
  document.title = 'Sign in · authrelay console';
  $('admin-token').focus();
}

function showConsole() {
  $('signin').hidden = true;
  $('nav').hidden = false;
  route();
}

async function signIn(event) {
  event.preventDefault();
  const input = $('admin-token');
  try {
    const opened = await api('POST', '/console/session', undefined, { Authorization: 'Bearer ' + input.value.trim() });
    input.value = '';
    tab.keep(opened.tab_secret);
    showConsole();
  } catch (error) {
    $('signin-error').textContent = errorText(error);
    input.focus();
  }
}

async function signOut() {
  try {
    await api('POST', '/console/signout');
  } finally {
    showSignIn();
  }
}

function route() {
  if (!tab.secret() || !location.hash.startsWith('#/') && location.hash !== '') return;
  const name = location.hash.slice(2) || 'connections';
  const page = pages[name] || connections;
  if (pageRun) pageRun.abort();
  pageRun = new AbortController();
  for (const link of document.querySelectorAll('#nav a')) {
    if (link.getAttribute('href') === '#/' + name) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  document.title = page.title + ' · authrelay console';
  const view = $('view');
  view.replaceChildren();
  page.render(view, pageRun.signal);
  $('main').focus({ preventScroll: true });
}

// A one-time link: its secret leaves the address bar and the history before anything else happens, then is spent.
async function redeemLink() {
  const link = new URLSearchParams(location.hash.slice(1)).get('link');
  if (!link) return false;
  history.replaceState(null, '', location.pathname + '#/connections');
  try {
    tab.keep((await api('POST', '/console/link', { link })).tab_secret);
    showConsole();
  } catch (error) {
    showSignIn(error);
  }
  return true;
}

async function boot() {
  onSignedOut(showSignIn);
  $('signin-form').addEventListener('submit', signIn);
  $('signout').addEventListener('click', signOut);
  window.addEventListener('hashchange', async () => {
    if (!(await redeemLink())) route();
  });
  if (await redeemLink()) return;
  if (tab.secret()) showConsole();
  else showSignIn();
}

boot();
