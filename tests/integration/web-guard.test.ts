/**
 * The web side as an attack surface: every probe here is a request another web page (or a DNS-rebinding
 * page) could make the user's browser send to the lab, and each must be refused before any route runs.
 */
import http from 'node:http';
import { generateSshKeyPair } from '../../lib/auth/ssh-keygen.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { smtpLab } from '../../servers/smtp/lab.ts';
import { sshLab } from '../../servers/ssh/lab.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';

let lab: TestLab;
let port: number;
beforeAll(async () => {
  lab = await startTestLab({ labs: [smtpLab, sshLab], config: { allowedHosts: ['lab.classroom.test'] } });
  port = Number(new URL(lab.baseUrl).port);
});
afterAll(async () => {
  await lab?.stop();
});

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One raw HTTP request with exactly the headers given (fetch would not let us forge Host). */
function request(method: string, path: string, headers: Record<string, string>, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const all: Record<string, string> = { host: `127.0.0.1:${port}`, ...headers };
    // host '' means: send no Host header at all (an HTTP/1.0-style request).
    if (all.host === '') delete all.host;
    const req = http.request({ host: '127.0.0.1', port, method, path, headers: all, setHost: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const ownOrigin = () => `http://127.0.0.1:${port}`;
const authorizedKeyCount = async () => (await lab.api<{ keys: unknown[] }>('/api/ssh/authorized-keys')).keys.length;
const aPublicKey = () => generateSshKeyPair('ed25519').public.trim();

describe('DNS rebinding: Host must name this machine', () => {
  it('refuses GET /api/lab (which holds the lab password) for a foreign Host', async () => {
    const reply = await request('GET', '/api/lab', { host: `evil.example:${port}` });
    expect(reply.status).toBe(421);
    expect(reply.body).not.toContain('test-password');
    expect(JSON.parse(reply.body).error).toMatch(/evil\.example.*LAB_ALLOWED_HOSTS/);
    // Problem details (RFC 9457): the status's phrase as title, the reason as detail.
    expect(reply.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(reply.body)).toMatchObject({ type: 'about:blank', title: 'Misdirected Request', status: 421, detail: expect.stringMatching(/evil\.example/) });
  });

  it('refuses a private key download for a foreign Host', async () => {
    const key = await lab.api<{ id: string }>('/api/ssh/keys', { body: { name: 'id_guard' } });
    const reply = await request('GET', `/api/ssh/keys/${key.id}/private`, { host: 'rebind.attacker.test' });
    expect(reply.status).toBe(421);
    expect(reply.body).not.toContain('PRIVATE KEY');
    const own = await request('GET', `/api/ssh/keys/${key.id}/private`, {});
    expect(own.body).toContain('PRIVATE KEY');
  });

  it('refuses a request without Host or with a malformed one', async () => {
    // Node itself answers 400 to an HTTP/1.1 request without Host; either way no route runs.
    expect([400, 421]).toContain((await request('GET', '/api/health', { host: '' })).status);
    expect((await request('GET', '/api/health', { host: 'localhost:3000@evil.example' })).status).toBe(421);
  });

  it.each(['localhost:3000', '127.0.0.1', '[::1]:3000', 'LOCALHOST', 'lab.classroom.test:3000'])('answers Host %s', async (host) => {
    const reply = await request('GET', '/api/health', { host });
    expect(reply.status).toBe(200);
  });

  it('refuses a WebSocket upgrade for a foreign Host', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers: { host: 'evil.example' } });
    const status = await new Promise<number>((resolve) => ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    expect(status).toBe(421);
  });
});

describe('cross-site WebSocket hijacking', () => {
  it('refuses an upgrade whose Origin is another site, before any event is sent', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { origin: 'http://evil.example' });
    const messages: string[] = [];
    ws.on('message', (data) => messages.push(data.toString()));
    const status = await new Promise<number>((resolve) => ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    expect(status).toBe(403);
    expect(messages).toEqual([]);
  });

  it.each(['null', 'http://127.0.0.1:1', `https://evil.example:${0}`])('refuses Origin %s', async (origin) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { origin });
    const status = await new Promise<number>((resolve) => ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    expect(status).toBe(403);
  });

  it('accepts the lab\'s own origin and says hello', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { origin: ownOrigin() });
    const first = await new Promise<string>((resolve) => ws.once('message', (data) => resolve(data.toString())));
    expect(JSON.parse(first).type).toBe('hello');
    ws.close();
  });
});

describe('CSRF on state-changing routes', () => {
  it('does not plant an authorized_keys entry from a text/plain form post', async () => {
    const before = await authorizedKeyCount();
    const reply = await request('POST', '/api/ssh/authorized-keys', { 'content-type': 'text/plain' }, JSON.stringify({ line: aPublicKey() }));
    expect(reply.status).toBe(415);
    expect(reply.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(reply.body)).toMatchObject({ title: 'Unsupported Media Type', status: 415, detail: expect.stringMatching(/application\/json/) });
    expect(await authorizedKeyCount()).toBe(before);
  });

  it('refuses a JSON post from another Origin with 403 and words', async () => {
    const before = await authorizedKeyCount();
    const reply = await request('POST', '/api/ssh/authorized-keys', { 'content-type': 'application/json', origin: 'http://evil.example' }, JSON.stringify({ line: aPublicKey() }));
    expect(reply.status).toBe(403);
    expect(reply.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(reply.body)).toMatchObject({ title: 'Forbidden', status: 403, detail: expect.stringMatching(/another site/) });
    expect(await authorizedKeyCount()).toBe(before);
  });

  it('refuses a cross-site request flagged by fetch metadata', async () => {
    const reply = await request('POST', '/api/step/smtp', { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' }, JSON.stringify({ enabled: true }));
    expect(reply.status).toBe(403);
    const { step } = await lab.api<{ step: { protocol: string; enabled: boolean }[] }>('/api/step');
    expect(step.find((s) => s.protocol === 'smtp')?.enabled).toBe(false);
  });

  it('does not rotate the host key on a body-less cross-site POST', async () => {
    const before = await lab.api<{ keys: { fingerprint: string }[] }>('/api/ssh/host-keys');
    const reply = await request('POST', '/api/ssh/faults/rotate-host-key', {});
    expect(reply.status).toBe(415);
    expect(await lab.api('/api/ssh/host-keys')).toEqual(before);
  });

  it('refuses an upload sent as text/plain (a simple request)', async () => {
    const reply = await request('POST', '/api/ssh/files/upload?path=/planted.txt', { 'content-type': 'text/plain' }, 'planted');
    expect(reply.status).toBe(415);
    const { entries } = await lab.api<{ entries: { name: string }[] }>('/api/ssh/files?path=/');
    expect(entries.map((e) => e.name)).not.toContain('planted.txt');
  });

  it('does not turn step mode on from another origin', async () => {
    const reply = await request('POST', '/api/step/smtp', { 'content-type': 'application/json', origin: 'http://evil.example' }, JSON.stringify({ enabled: true }));
    expect(reply.status).toBe(403);
    const { step } = await lab.api<{ step: { protocol: string; enabled: boolean }[] }>('/api/step');
    expect(step.find((s) => s.protocol === 'smtp')?.enabled).toBe(false);
  });

  it('accepts the same change from the lab\'s own origin', async () => {
    const line = aPublicKey();
    const reply = await request('POST', '/api/ssh/authorized-keys', { 'content-type': 'application/json; charset=utf-8', origin: ownOrigin() }, JSON.stringify({ line }));
    expect(reply.status).toBe(200);
    expect(reply.body).toContain(line.split(' ')[1]);
  });
});

describe('raw mail downloads', () => {
  it('answers HEAD like GET, without a body, and forbids sniffing', async () => {
    const { default: nodemailer } = await import('nodemailer');
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: lab.port('smtp'), ignoreTLS: true });
    await transport.sendMail({ from: 'a@lab.test', to: 'student@lab.test', subject: 'head', html: '<script>alert(1)</script>' });
    const { messages } = await lab.api<{ messages: { id: string }[] }>('/api/mailbox');
    const get = await request('GET', `/api/mailbox/${messages[0].id}/raw`, {});
    const head = await request('HEAD', `/api/mailbox/${messages[0].id}/raw`, {});
    expect(get.status).toBe(200);
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['content-type']).toBe('message/rfc822');
    expect(get.headers['x-content-type-options']).toBe('nosniff');
    expect((await request('HEAD', '/api/mailbox/nope/raw', {})).status).toBe(404);
  });
});

describe('routes this session changed, probed with hostile requests', () => {
  const armedRules = async () => (await lab.api<{ armed: { rule: string }[] }>('/api/faults')).armed.map((f) => f.rule);

  it("leaves a lesson's what-if armed when another site or a rebound Host sends the unloading page's leave", async () => {
    await lab.api('/api/faults', { body: { rule: 'smtp.rcpt-451-second', enabled: true, times: 1, lesson: 'smtp-relays' } });
    try {
      const hostile: Record<string, string>[] = [{ host: 'rebind.attacker.test' }, { origin: 'http://evil.example' }, { 'sec-fetch-site': 'cross-site' }];
      for (const headers of hostile) {
        for (const query of ['?unload=1', '', '?still=1']) {
          const reply = await request('POST', `/api/lessons/smtp-relays/leave${query}`, { 'content-type': 'application/json', ...headers }, '{}');
          expect(reply.status, `${JSON.stringify(headers)} ${query}`).toBe(headers.host ? 421 : 403);
        }
      }
      expect(await armedRules()).toContain('smtp.rcpt-451-second');
    } finally {
      await lab.api('/api/faults', { body: { rule: 'smtp.rcpt-451-second', enabled: false } });
    }
  });

  it('streams no upload into the FTP root and no download out of it for another site or a rebound Host', async () => {
    const upload = await request('POST', '/api/ftp/upload?name=planted.bin', { 'content-type': 'application/octet-stream', origin: 'http://evil.example' }, 'planted');
    expect(upload.status).toBe(403);
    const rebound = await request('POST', '/api/ftp/upload?name=planted.bin', { 'content-type': 'application/octet-stream', host: 'rebind.attacker.test' }, 'planted');
    expect(rebound.status).toBe(421);
    const { entries } = await lab.api<{ entries: { name: string }[] }>('/api/ssh/files?path=/');
    expect(entries.map((e) => e.name)).not.toContain('planted.bin');
    const download = await request('GET', '/api/ftp/download?name=README.txt', { host: 'rebind.attacker.test' });
    expect(download.status).toBe(421);
    expect(download.body).not.toContain('Protocol Lab');
    expect((await request('GET', '/api/ftp/download?name=README.txt', { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
  });
});
