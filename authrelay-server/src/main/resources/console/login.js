// The live view of one login: link and code with copy buttons, a countdown, the state as the daemon pushes it, a
// field for what a CLI login asks back, and what to do once it has ended.
import { api, follow } from './api.js';
import { h, copyButton, announce, errorBox, errorText, timeLeft } from './dom.js';

const ENDED = {
  connected: (v) => 'Connected' + (v.account ? ' as ' + v.account : '') + '. Workspaces granted this provider receive its token now.',
  denied: () => 'The sign-in was refused at the provider. Connect again and approve it there.',
  expired: () => 'The code expired before the sign-in was finished. Connect again for a new one.',
  cancelled: () => 'The login was cancelled. Connect again to start over.',
  failed: (v) => 'The login failed' + (v.reason ? ': ' + v.reason : '') + '. Connect again; if it keeps failing, run authrelay diagnose ' + v.provider + '.',
};
// What a CLI login may ask back from the person, by its driver's input kind.
const ASKS = {
  paste: 'Paste the code the provider showed you after you signed in',
  callback_url: 'Paste the address your browser ended on after you signed in (even if that page shows an error)',
};
const WAITING = {
  pending: 'Waiting for the code to be entered at the provider.',
  awaiting_user: 'Waiting for you to sign in at the provider.',
};

function safeLink(uri) {
  try {
    const url = new URL(uri);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

export function showLogin(container, first, signal, onEnd) {
  const id = first.session;
  const state = h('p', { class: 'login-state', id: 'login-state' });
  const details = h('div', { class: 'login-details' });
  const countdown = h('p', { class: 'countdown', id: 'login-countdown' });
  const ended = h('p', { class: 'login-ended', id: 'login-ended', role: 'status' });
  const cancel = h('button', { type: 'button', class: 'secondary', onclick: () => cancelLogin(id, box) }, 'Cancel login');
  const box = h('section', { class: 'login', id: 'login', 'aria-labelledby': 'login-title' },
    h('h2', { id: 'login-title', tabindex: '-1' }, 'Signing in to ' + first.provider), state, details, countdown, ended, cancel);
  container.replaceChildren(box);
  let shown = '';
  let deadline = null;
  let inputForm = null;
  const tick = setInterval(() => {
    if (deadline) countdown.textContent = 'Time left: ' + timeLeft(Math.max(0, Math.round((deadline - Date.now()) / 1000)));
  }, 1000);
  signal.addEventListener('abort', () => clearInterval(tick));

  function draw(v) {
    const done = v.ended_at !== null && v.ended_at !== undefined;
    state.textContent = 'State: ' + v.status.replace('_', ' ') + (done ? '' : ' — ' + (WAITING[v.status] || ''));
    state.dataset.status = v.status;
    const key = [v.verification_uri, v.verification_uri_complete, v.user_code].join(' ');
    if (!done && key !== shown) {
      shown = key;
      details.replaceChildren(...linkAndCode(v));
    }
    if (!done && ASKS[v.input] && !inputForm) {
      inputForm = answerForm(id, v.input);
      details.after(inputForm);
    }
    deadline = done || v.seconds_left === null ? null : Date.now() + v.seconds_left * 1000;
    countdown.textContent = deadline ? 'Time left: ' + timeLeft(v.seconds_left) : '';
    if (v.queued_behind) countdown.textContent += ' (waiting behind ' + v.queued_behind + ' other logins)';
    if (done) {
      clearInterval(tick);
      details.replaceChildren();
      if (inputForm) inputForm.remove();
      cancel.remove();
      ended.textContent = (ENDED[v.status] || (() => 'The login ended: ' + v.status))(v);
      ended.dataset.status = v.status;
      announce(ended.textContent);
      onEnd(v);
    }
  }
  draw(first);
  follow('/v1/logins/' + encodeURIComponent(id) + '/events', draw, signal).catch((error) => {
    if (!signal.aborted) box.append(errorBox(error));
  });
}

function linkAndCode(v) {
  const parts = [];
  const link = safeLink(v.verification_uri_complete || v.verification_uri);
  if (link) {
    parts.push(h('p', {}, 'Open ', h('a', { href: link, id: 'login-link', target: '_blank', rel: 'noopener noreferrer' }, link),
      ' ', copyButton('link', link)));
  }
  if (v.user_code) {
    parts.push(h('p', {}, 'and enter the code ', h('code', { class: 'user-code', id: 'user-code' }, v.user_code),
      ' ', copyButton('code', v.user_code)));
  }
  return parts;
}

function answerForm(id, asked) {
  const input = h('input', { id: 'login-answer', name: 'input', type: 'text', autocomplete: 'off', spellcheck: 'false', required: true });
  const message = h('p', { class: 'help', role: 'status' });
  const form = h('form', { class: 'answer', onsubmit: async (event) => {
    event.preventDefault();
    try {
      await api('POST', '/v1/logins/' + encodeURIComponent(id) + '/input', { input: input.value.trim() });
      input.value = '';
      message.textContent = 'Sent to the login.';
    } catch (error) {
      message.textContent = errorText(error);
    }
  } },
  h('label', { for: 'login-answer' }, ASKS[asked]),
  input, h('button', { type: 'submit' }, 'Send'), message);
  return form;
}

async function cancelLogin(id, box) {
  try {
    await api('POST', '/v1/logins/' + encodeURIComponent(id) + '/cancel');
  } catch (error) {
    box.append(errorBox(error));
  }
}
