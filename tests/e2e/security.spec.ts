/**
 * A hostile page in a real browser: served from another origin on this machine, it tries what any web page
 * the user visits could try against the lab on localhost. None of it may reach the lab.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';

const labPort = Number(process.env.PORT ?? 3000);
const lab = `http://127.0.0.1:${labPort}`;

/** The attacker's page: opens the lab's WebSocket and fires the simple requests a page may send unasked. */
const EVIL_PAGE = `<!doctype html><title>evil</title><script>
window.results = {};
const ws = new WebSocket('ws://127.0.0.1:${labPort}/ws');
ws.onmessage = (e) => { window.results.wsMessage = String(e.data).slice(0, 40); };
ws.onopen = () => { window.results.ws = 'open'; };
ws.onerror = () => { window.results.ws = 'refused'; };
const post = (path, body, type) => fetch('${lab}' + path, { method: 'POST', mode: 'no-cors', headers: type ? { 'content-type': type } : {}, body })
  .then(() => 'sent', () => 'failed');
Promise.all([
  post('/api/ssh/faults/rotate-host-key'),
  post('/api/step/smtp', JSON.stringify({ enabled: true }), 'text/plain'),
  post('/api/ssh/authorized-keys', JSON.stringify({ line: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl evil' }), 'text/plain'),
]).then((r) => { window.results.posts = r; });
// GETs need no CORS to be sent: a download through the lab's FTP client would open sessions in the owner's sandbox.
const img = new Image();
img.onload = img.onerror = () => { window.results.img = 'done'; };
img.src = '${lab}/api/ftp/download?name=README.txt';
</script>`;

/** The attacker's other page: the lab's SSH page in a frame, to trick the user into clicking its buttons (clickjacking). */
const FRAMING_PAGE = `<!doctype html><title>evil frame</title>
<iframe id="lab" src="${lab}/ssh" width="1000" height="600" onload="window.framed = 'loaded'"></iframe>`;

let evil: http.Server;
let evilUrl: string;
test.beforeAll(async () => {
  evil = http.createServer((req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(req.url === '/frame' ? FRAMING_PAGE : EVIL_PAGE));
  await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
  evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}/`;
});
test.afterAll(() => new Promise<void>((resolve) => evil.close(() => resolve())));

test('a page from another origin can neither open the lab WebSocket nor change the lab', async ({ page, request }) => {
  await request.post('/api/step/smtp', { data: { enabled: false } });
  const hostKeys = await (await request.get('/api/ssh/host-keys')).json();
  const authorized = await (await request.get('/api/ssh/authorized-keys')).json();
  const ftpConnections = async (): Promise<string[]> => (await (await request.get('/api/connections?protocol=ftp&limit=500')).json()).connections.map((c: { id: string }) => c.id);
  const ftpBefore = await ftpConnections();

  await page.goto(evilUrl);
  await expect.poll(() => page.evaluate(() => (window as unknown as { results: { ws?: string; posts?: string[] } }).results), { timeout: 10_000 })
    .toMatchObject({ ws: 'refused', posts: ['sent', 'sent', 'sent'], img: 'done' });
  expect(await page.evaluate(() => (window as unknown as { results: { wsMessage?: string } }).results.wsMessage)).toBeUndefined();

  expect(await (await request.get('/api/ssh/host-keys')).json()).toEqual(hostKeys);
  expect(await (await request.get('/api/ssh/authorized-keys')).json()).toEqual(authorized);
  const { step } = await (await request.get('/api/step')).json();
  expect(step.find((s: { protocol: string }) => s.protocol === 'smtp').enabled).toBe(false);
  // The image's request was answered (img: 'done') without opening an FTP session: once the lab's own download
  // (after it) is listed, its control and data connections are the only new ones.
  const own = (await request.get('/api/ftp/download?name=README.txt')).headers()['x-ftp-conn'];
  await expect.poll(ftpConnections).toContain(own);
  expect((await ftpConnections()).filter((id) => !ftpBefore.includes(id))).toHaveLength(2);
});

test('another page cannot show the lab in a frame (clickjacking the machine owner\'s lab)', async ({ page, request }) => {
  // In a frame the lab's SameSite=Strict cookies stay home, but the owner's browser is the owner by its address.
  await page.goto(`${evilUrl}frame`);
  await page.waitForFunction(() => (window as unknown as { framed?: string }).framed === 'loaded');
  const frame = page.frames().find((f) => f !== page.mainFrame());
  expect(frame?.url()).not.toContain(`:${labPort}/ssh`);
  const reply = await request.get('/ssh');
  expect(reply.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(reply.headers()['x-frame-options']).toBe('DENY');
});

test('the UI and the API refuse a foreign Host name (DNS rebinding)', async () => {
  const get = (path: string, host: string) =>
    new Promise<{ status: number; body: string; type?: string }>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port: labPort, path, headers: { host } }, (res) => {
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body, type: res.headers['content-type'] }));
        })
        .on('error', reject);
    });
  for (const path of ['/', '/smtp', '/api/lab']) {
    const reply = await get(path, `rebind.example:${labPort}`);
    expect(reply.status, path).toBe(421);
    expect(reply.body).not.toContain('e2e-password');
    // Problem details on every path, the pages' included (they were text/plain in front of Next).
    expect(reply.type, path).toBe('application/problem+json');
    expect(JSON.parse(reply.body), path).toMatchObject({ status: 421, title: 'Misdirected Request', detail: expect.stringMatching(/rebind\.example/) });
  }
  expect((await get('/smtp', `localhost:${labPort}`)).status).toBe(200);
});

test('the lab\'s own pages still change the lab (same origin, JSON)', async ({ page }) => {
  await page.goto('/ssh');
  const status = await page.evaluate(async () => (await fetch('/api/step/ssh', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"enabled":false}' })).status);
  expect(status).toBe(200);
});
