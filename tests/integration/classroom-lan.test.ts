/**
 * Issue 15, the classroom LAN, played on a second loopback address (never a real network): the lab
 * answers to the address it is bound to; a browser from another machine (here 127.0.0.2) has no
 * default sandbox — it must open or join one, and never sees the machine owner's login — while the
 * teacher's token still reaches the owner's sandbox; recipes name the address clients reach.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import ssh2 from 'ssh2';
import { LAB_USER } from '../../servers/daemon/config.ts';
import { TestBrowser } from '../helpers/browser.ts';
import { lanRequest } from '../helpers/lan-request.ts';
import { startTestLab, TEST_PASSWORD, type TestLab } from '../helpers/daemon.ts';

const LAN = '127.0.0.2';
let lab: TestLab;
let port: number;
beforeAll(async () => {
  lab = await startTestLab({ config: { host: LAN } });
  port = Number(new URL(lab.baseUrl).port);
});
afterAll(async () => {
  await lab?.stop();
});

/** A request from "another machine": sent from 127.0.0.2, naming the lab by its LAN address. */
const fromLan = (method: string, path: string, headers: Record<string, string> = {}, body?: unknown) => lanRequest(LAN, port, method, path, headers, body);

describe('a browser on another machine', () => {
  it('gets no default sandbox and no lab login until it opens a sandbox of its own', async () => {
    const bare = await fromLan('GET', '/api/lab');
    expect(bare.status).toBe(401);
    expect(bare.body).not.toContain(TEST_PASSWORD);
    expect(JSON.parse(bare.body).error).toMatch(/its own sandbox/);
    expect((await fromLan('GET', '/api/connections')).status).toBe(401);
    expect((await fromLan('GET', '/api/mailbox')).status).toBe(401);

    const opened = await fromLan('POST', '/api/sandboxes', {}, {});
    expect(opened.status).toBe(200);
    const cookie = (opened.setCookie ?? '').split(';')[0];
    const mine = await fromLan('GET', '/api/lab', { cookie });
    expect(mine.status).toBe(200);
    const info = JSON.parse(mine.body) as { sandbox: string; user: string; host: string; shared: boolean };
    expect(info).toMatchObject({ user: info.sandbox, shared: false, host: LAN });
    expect(mine.body).not.toContain(TEST_PASSWORD);
  });

  it('gets no event stream without a sandbox', async () => {
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { localAddress: LAN, headers: { host: `${LAN}:${port}` } });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => {
        ws.close();
        resolve(101);
      });
      ws.on('error', () => {});
    });
    expect(status).toBe(401);
  });

  it("needs the teacher's token for classes, and with it is the machine owner", async () => {
    expect((await fromLan('POST', '/api/classes', {}, { name: 'LAN class' })).status).toBe(403);
    const teacher = { authorization: `Bearer ${lab.daemon.teacherToken}` };
    expect((await fromLan('POST', '/api/classes', teacher, { name: 'LAN class' })).status).toBe(200);
    const owner = await fromLan('GET', '/api/lab', teacher);
    expect(JSON.parse(owner.body)).toMatchObject({ sandbox: 'local', shared: true });
  });

  it('is refused by any name the lab is not bound to', async () => {
    expect((await fromLan('GET', '/api/health', { host: `lab.attacker.test:${port}` })).status).toBe(421);
  });
});

describe("the lab's own clients on a lab bound to one LAN address (not loopback)", () => {
  it('a console reaches its server, and a passive FTP data connection opens', async () => {
    const page = await TestBrowser.open(lab);
    try {
      page.send({ type: 'console.open', consoleId: 's', protocol: 'smtp' });
      const smtp = await page.consoleOpen('s');
      expect((await page.message(smtp, /^220 /)).text).toMatch(/^220 /);
      page.send({ type: 'console.open', consoleId: 'f', protocol: 'ftp' });
      const ftp = await page.consoleOpen('f');
      await page.message(ftp, /^220 /);
      for (const line of [`USER ${LAB_USER}`, `PASS ${TEST_PASSWORD}`, 'PASV']) page.send({ type: 'console.send', consoleId: 'f', line });
      await page.message(ftp, new RegExp(`^The lab connects to ${LAN.replaceAll('.', '\\.')}:\\d+`));
      await page.message(ftp, /^Data connection opened/);
    } finally {
      page.close();
    }
  });

  it('SSH forwards a channel to a lab port where the lab listens', async () => {
    const client = new ssh2.Client();
    await new Promise<void>((resolve, reject) => {
      client.once('ready', () => resolve()).once('error', reject);
      client.connect({ host: LAN, port: lab.port('ssh'), username: LAB_USER, password: TEST_PASSWORD });
    });
    try {
      const greeting = await new Promise<string>((resolve, reject) => {
        client.forwardOut('127.0.0.1', 40000, '127.0.0.1', lab.port('smtp'), (err, channel) => {
          if (err) return reject(err);
          channel.once('data', (data: Buffer) => {
            resolve(data.toString('utf8'));
            channel.end();
          });
        });
      });
      expect(greeting).toMatch(/^220 /);
    } finally {
      client.end();
    }
  });
});
