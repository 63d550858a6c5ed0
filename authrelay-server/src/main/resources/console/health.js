// The daemon's health: version, readiness checks, scheduler heartbeat, and vends and logins over the last hour.
import { api } from './api.js';
import { h, errorBox, timeLeft } from './dom.js';

export const title = 'Health';
const SVG = 'http://www.w3.org/2000/svg';

export function render(view, signal) {
  const facts = h('div', { id: 'health-facts', class: 'panel' });
  const chart = h('div', { id: 'health-chart', class: 'panel' });
  view.append(h('h1', {}, 'Health'), facts, chart);

  async function load() {
    try {
      const [status, activity] = await Promise.all([api('GET', '/v1/status'), api('GET', '/v1/activity')]);
      if (signal.aborted) return;
      const heartbeat = status.scheduler_heartbeat_age_seconds;
      facts.replaceChildren(h('dl', {},
        h('dt', {}, 'Version'), h('dd', {}, status.version + ' (API ' + status.api_version + ')'),
        h('dt', {}, 'This replica'), h('dd', {}, (status.replica || status.instance) + ', up ' + timeLeft(status.uptime_seconds)),
        h('dt', {}, 'Replicas'), h('dd', { id: 'health-replicas' }, replicas(status.replicas)),
        h('dt', {}, 'Store'), h('dd', {}, status.database),
        h('dt', {}, 'Ready'), h('dd', { 'data-ready': String(status.ready) }, status.ready ? 'yes: store and vault answer' : 'NO: see /readyz and the daemon log'),
        h('dt', {}, 'Scheduler heartbeat'), h('dd', {}, heartbeat === null ? 'none yet' : heartbeat.toFixed(1) + ' s ago'),
        h('dt', {}, 'TLS'), h('dd', {}, status.tls ? 'on' : 'off (loopback)')));
      chart.replaceChildren(h('h2', { id: 'chart-title' }, 'Vends and logins, last hour'), draw(activity));
    } catch (error) {
      facts.replaceChildren(errorBox(error));
    }
  }

  load();
  const timer = setInterval(load, 15000);
  signal.addEventListener('abort', () => clearInterval(timer));
}

function replicas(list) {
  if (!list || list.length === 0) return 'this one only';
  return h('ul', { class: 'plain' }, list.map((r) => h('li', {},
    r.id + (r.self ? ' (this one)' : '') + (r.address ? ' at ' + r.address : '') + ', ' + r.version
      + ', seen ' + r.heartbeat_age_seconds.toFixed(1) + ' s ago')));
}

// One bar pair per minute; the numbers are in the title of each bar and in a table for screen readers.
function draw(activity) {
  const minutes = activity.minutes;
  const max = Math.max(1, ...minutes.map((m) => Math.max(m.vends, m.logins)));
  const width = 600, height = 120, step = width / minutes.length;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 ' + width + ' ' + (height + 2));
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-labelledby', 'chart-title');
  svg.classList.add('chart');
  minutes.forEach((m, i) => {
    for (const [kind, offset] of [['vends', 0], ['logins', step / 2]]) {
      const bar = document.createElementNS(SVG, 'rect');
      const size = (m[kind] / max) * height;
      bar.setAttribute('x', String(i * step + offset));
      bar.setAttribute('y', String(height - size));
      bar.setAttribute('width', String(Math.max(1, step / 2 - 1)));
      bar.setAttribute('height', String(size));
      bar.classList.add(kind);
      const label = document.createElementNS(SVG, 'title');
      label.textContent = m.minute + ': ' + m[kind] + ' ' + kind;
      bar.append(label);
      svg.append(bar);
    }
  });
  const total = (kind) => minutes.reduce((sum, m) => sum + m[kind], 0);
  return h('figure', {}, svg, h('figcaption', {},
    h('span', { class: 'key vends' }, 'vends: ' + total('vends')), ' ',
    h('span', { class: 'key logins' }, 'logins: ' + total('logins'))));
}
