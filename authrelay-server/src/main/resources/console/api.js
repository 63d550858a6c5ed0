// The one door to the daemon: every call carries this tab's secret; the HttpOnly cookie travels by itself.
const TAB_KEY = 'authrelay.console.tab';
const TAB_HEADER = 'X-Authrelay-Console';

export const tab = {
  secret: () => sessionStorage.getItem(TAB_KEY),
  keep: (secret) => sessionStorage.setItem(TAB_KEY, secret),
  forget: () => sessionStorage.removeItem(TAB_KEY),
};

export class ApiError extends Error {
  constructor(status, body) {
    const error = (body && body.error) || {};
    super(error.message || 'the daemon answered ' + status);
    this.status = status;
    this.code = error.code;
    this.hint = error.hint;
  }
}

let signedOut = () => {};
export function onSignedOut(handler) { signedOut = handler; }

function headers(extra) {
  const all = { Accept: 'application/json', ...extra };
  if (tab.secret()) all[TAB_HEADER] = tab.secret();
  return all;
}

async function failure(res) {
  const body = await res.json().catch(() => null);
  const error = new ApiError(res.status, body);
  if (res.status === 401 && error.code === 'console_session_invalid') signedOut(error);
  return error;
}

export async function api(method, path, body, extraHeaders = {}) {
  const init = { method, headers: headers(extraHeaders), credentials: 'same-origin', cache: 'no-store' };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(path, init);
  if (!res.ok) throw await failure(res);
  const text = await res.text();
  return text ? JSON.parse(text) : null;
}

// Server-sent events over fetch: EventSource cannot send the tab secret.
export async function follow(path, onEvent, signal) {
  const res = await fetch(path, {
    headers: headers({ Accept: 'text/event-stream' }), credentials: 'same-origin', cache: 'no-store', signal,
  });
  if (!res.ok) throw await failure(res);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value.replace(/\r\n/g, '\n');
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const data = buffer.slice(0, end).split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).replace(/^ /, ''))
        .join('\n');
      buffer = buffer.slice(end + 2);
      if (data) onEvent(JSON.parse(data));
    }
  }
}
