// The old design, reduced to its core: one process per pending login. It asks the provider for a device
// code, prints the user code, then polls the token endpoint until the login ends. Like the daemon it waits
// the interval plus max(1 s, interval/5) after each answer, and adds 5 s on slow_down.
// Uses only the built-in http module (no fetch/undici, no dependencies): a lower bound for the real helper.
// Usage: node poller.js http://127.0.0.1:PORT [client_id]
'use strict';
const http = require('http');
const [base, clientId = 'bench'] = process.argv.slice(2);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
function post(path, form) {
  return new Promise((resolve, reject) => {
    const body = new URLSearchParams(form).toString();
    const req = http.request(base + path, { method: 'POST', agent, headers: {
      'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json', 'Content-Length': Buffer.byteLength(body) } },
      (res) => { let s = ''; res.setEncoding('utf8'); res.on('data', (d) => { s += d; });
        res.on('end', () => { try { resolve(JSON.parse(s)); } catch (e) { reject(e); } }); });
    req.on('error', reject);
    req.end(body);
  });
}
const padded = (s) => s * 1000 + Math.max(1000, s * 200);
(async () => {
  const code = await post('/login/device/code', { client_id: clientId });
  console.log(code.user_code);
  let interval = code.interval || 5;
  for (;;) {
    await new Promise((r) => setTimeout(r, padded(interval)));
    let res;
    try {
      res = await post('/login/oauth/access_token', { client_id: clientId, device_code: code.device_code,
        grant_type: 'urn:ietf:params:oauth:grant-type:device_code' });
    } catch (e) { continue; }
    if (res.error === 'authorization_pending') continue;
    if (res.error === 'slow_down') { interval += 5; continue; }
    console.error(res.error || 'connected');
    process.exit(res.error ? 1 : 0);
  }
})().catch((e) => { console.error(String(e)); process.exit(2); });
