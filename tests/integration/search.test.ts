/**
 * GET /api/search (issue 14 #5) over transcripts recorded from the real SMTP and FTP servers: the
 * filter language finds refused recipients by reply class and FTP commands by key, and a sandbox
 * never sees another sandbox's messages.
 */
import http from 'node:http';
import net from 'node:net';
import { Client } from 'basic-ftp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchContracts } from '../../lib/http/search-contracts.ts';
import type { LabMessage } from '../../lib/wire/event.ts';
import { ftpLab } from '../../servers/ftp/lab.ts';
import { smtpLab } from '../../servers/smtp/lab.ts';
import type { SandboxPolicy } from '../../servers/daemon/sandboxes.ts';
import { nextEvent } from '../helpers/bus.ts';
import { startTestLab, TEST_PASSWORD, type TestLab } from '../helpers/daemon.ts';

type SearchReply = {
  description: string;
  hits: { connection: { id: string; sandbox: string; protocol: string }; message: LabMessage }[];
  scanned: { connections: number; messages: number };
  stoppedBy: string | null;
};

let lab: TestLab;
// External clients land in sandbox x unless their client port was filed for another one first.
const byPort = new Map<number, string>();
const policy: SandboxPolicy = {
  ofRequest: (req) => {
    const named = req.headers['x-test-sandbox'];
    return typeof named === 'string' ? named : 'x';
  },
  ofConnection: (socket) => socket.own?.sandbox ?? byPort.get(socket.remotePort) ?? 'x',
  clientSandboxOf: () => 'x',
};

/** GET /api/search as a page of `sandbox` would; the status and the JSON answer. */
async function search(sandbox: string, query: Record<string, string>): Promise<{ status: number; body: SearchReply & { error?: string } }> {
  const res = await fetch(`${lab.baseUrl}/api/search?${new URLSearchParams(query)}`, { headers: { 'x-test-sandbox': sandbox } });
  return { status: res.status, body: (await res.json()) as SearchReply & { error?: string } };
}

/**
 * A raw SMTP session in `sandbox`: each line sent after the previous reply is complete, then QUIT;
 * resolves once the lab has closed the connection (so its transcript is stored whole).
 */
async function smtpSession(sandbox: string, lines: string[]): Promise<string> {
  const socket = net.connect(lab.port('smtp'), '127.0.0.1');
  // The connect syscall has run by the next tick, before the tap can accept the connection.
  process.nextTick(() => byPort.set(socket.localPort ?? 0, sandbox));
  const opened = nextEvent(lab.daemon.bus, 'connection.open', (e) => e.connection.protocol === 'smtp' && e.connection.client.endsWith(`:${socket.localPort}`));
  socket.setEncoding('latin1');
  let buffer = '';
  let wake: (() => void) | null = null;
  socket.on('data', (data: string) => {
    buffer += data;
    wake?.();
  });
  const reply = async () => {
    // A final reply line: three digits and a space.
    for (;;) {
      const end = /^\d{3} .*\r\n/m.exec(buffer);
      if (end) {
        buffer = buffer.slice(end.index + end[0].length);
        return;
      }
      await new Promise<void>((resolve) => (wake = resolve));
    }
  };
  await reply();
  const conn = (await opened).connection.id;
  for (const line of [...lines, 'QUIT']) {
    socket.write(`${line}\r\n`);
    await reply();
  }
  const closed = nextEvent(lab.daemon.bus, 'connection.close', (e) => e.connection.id === conn);
  socket.end();
  await closed;
  return conn;
}

let smtpX: string;
let smtpY: string;
let ftpX: string;

beforeAll(async () => {
  lab = await startTestLab({ labs: [smtpLab, ftpLab], sandboxes: policy });
  smtpX = await smtpSession('x', ['EHLO sandbox-x.example', 'MAIL FROM:<student@lab.test>', 'RCPT TO:<nobody@lab.test>', 'RCPT TO:<alice@lab.test>']);
  smtpY = await smtpSession('y', ['EHLO sandbox-y.example', 'MAIL FROM:<student@lab.test>', 'RCPT TO:<someone@elsewhere.example>']);

  const client = new Client(10_000);
  await client.connect('127.0.0.1', lab.port('ftp'));
  const control = (await lab.daemon.labs.find((l) => l.protocol === 'ftp')!.tap.whenAccepted(client.ftp.socket.localPort ?? 0)).recorder.info.id;
  await client.login('student', TEST_PASSWORD);
  await client.list();
  const closed = nextEvent(lab.daemon.bus, 'connection.close', (e) => e.connection.id === control);
  client.close();
  await closed;
  ftpX = control;
});
afterAll(async () => {
  await lab?.stop();
});

describe('GET /api/search', () => {
  it('finds the refused RCPT by its reply class, with its connection', async () => {
    const { status, body } = await search('x', { q: 'smtp.reply.5xx' });
    expect(status).toBe(200);
    expect(body.description).toBe('annotation key smtp.reply.5xx');
    expect(body.hits.map((h) => h.message.text)).toEqual([expect.stringMatching(/^550 5\.1\.1 /)]);
    const [hit] = body.hits;
    expect(hit.connection.id).toBe(smtpX);
    expect(hit.message.conn).toBe(smtpX);
    expect(hit.message.annotation?.key).toBe('smtp.reply.550');
    expect(body.stoppedBy).toBeNull();
  });

  it('finds FTP commands by key, newest connection first and in wire order within one', async () => {
    const { body } = await search('x', { q: 'ftp.cmd.USER or ftp.cmd.PASS or ftp.cmd.LIST' });
    expect(body.hits.map((h) => h.message.text)).toEqual(['USER student', 'PASS ********', 'LIST -a'].map((t) => expect.stringContaining(t.split(' ')[0])));
    expect(body.hits.every((h) => h.connection.id === ftpX)).toBe(true);
    const seqs = body.hits.map((h) => h.message.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    // The FTP session is newer than the SMTP one: it comes first when both match.
    const both = await search('x', { q: 'dir:client (ftp.cmd.USER or smtp.cmd.EHLO)' });
    expect(both.body.hits.map((h) => h.connection.protocol)).toEqual(['ftp', 'smtp']);
  });

  it('narrows to one protocol and caps the hits', async () => {
    const ftpOnly = await search('x', { q: 'dir:server', protocol: 'ftp' });
    expect(ftpOnly.body.hits.length).toBeGreaterThan(3);
    expect(ftpOnly.body.hits.every((h) => h.message.protocol === 'ftp' && h.message.dir === 'server')).toBe(true);
    const capped = await search('x', { q: 'dir:server', limit: '2' });
    expect(capped.body.hits).toHaveLength(2);
    expect(capped.body.stoppedBy).toBe('limit');
  });

  it('never shows another sandbox its messages', async () => {
    const x = await search('x', { q: 'sandbox-y.example or relaying' });
    expect(x.body.hits).toEqual([]);
    const y = await search('y', { q: 'smtp.reply.5xx' });
    expect(y.body.hits.map((h) => h.message.text)).toEqual([expect.stringMatching(/^550 5\.7\.1 /)]);
    expect(y.body.hits.every((h) => h.connection.id === smtpY && h.message.sandbox === 'y')).toBe(true);
    const yAll = await search('y', { q: 'dir:client or dir:server or dir:note' });
    expect(yAll.body.hits.length).toBeGreaterThan(4);
    expect(yAll.body.hits.every((h) => h.message.sandbox === 'y')).toBe(true);
    const z = await search('z', { q: 'smtp' });
    expect(z.body).toMatchObject({ hits: [], scanned: { connections: 0, messages: 0 } });
  });

  it('answers a query it cannot read with a 400 that says why', async () => {
    const { status, body } = await search('x', { q: 'smtp.reply.5xx or' });
    expect(status).toBe(400);
    expect(body.error).toBe('Cannot read the search: "or" at character 16 needs something on both sides.');
    expect((await search('x', { q: 'level:loud' })).body.error).toContain('level: takes info, warn, warning, error');
    expect((await search('x', { q: 'x'.repeat(501) })).status).toBe(400);
    expect((await search('x', {})).body.error).toBe('Cannot read the search: Type something to search for.');
  });

  it('is served from its contract and refuses a foreign Host', async () => {
    const reply = await lab.api(searchContracts.search, { query: { q: 'ftp.cmd.PASV or ftp.cmd.EPSV' } });
    expect(reply.hits.map((h) => h.message.text)).toEqual([expect.stringMatching(/^(PASV|EPSV)/)]);
    // fetch would not send another Host: a plain request does (a DNS-rebinding page's).
    const status = await new Promise<number>((resolve, reject) => {
      const url = new URL(lab.baseUrl);
      http
        .get({ host: url.hostname, port: url.port, path: '/api/search?q=smtp', headers: { host: 'rebind.attacker.test' }, agent: false }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
        .on('error', reject);
    });
    expect(status).toBe(421);
  });
});
