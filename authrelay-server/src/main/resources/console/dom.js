// Building elements without innerHTML: every value the daemon sends is text, never markup.
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function announce(message) {
  const region = document.getElementById('announce');
  region.textContent = '';
  setTimeout(() => { region.textContent = message; }, 50);
}

export function copyButton(label, value) {
  return h('button', {
    type: 'button', class: 'copy', 'aria-label': 'Copy ' + label,
    onclick: async () => {
      try {
        await navigator.clipboard.writeText(value);
        announce(label + ' copied');
      } catch {
        announce('Copy failed: select the text and copy it by hand');
      }
    },
  }, 'Copy');
}

export function errorText(error) {
  return error.message + (error.hint ? ' (' + error.hint + ')' : '');
}

export function errorBox(error) {
  return h('p', { class: 'error', role: 'alert' }, errorText(error));
}

export function timeLeft(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  if (seconds <= 0) return 'expired';
  const h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
  if (h > 0) return h + ' h ' + m + ' min';
  if (m > 0) return m + ' min ' + s + ' s';
  return s + ' s';
}

export function when(instant) {
  return instant ? new Date(instant).toLocaleString() : '—';
}

export function field(id, label, input, help) {
  input.id = id;
  if (help) input.setAttribute('aria-describedby', id + '-help');
  return h('div', { class: 'field' }, h('label', { for: id }, label), input,
    help && h('p', { id: id + '-help', class: 'help' }, help));
}

export function formValues(form) {
  const values = {};
  for (const [key, value] of new FormData(form).entries()) if (value !== '') values[key] = value;
  return values;
}
