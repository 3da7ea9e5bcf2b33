import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ftpLab } from '../../servers/ftp/lab.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';
import { login, rawSession, startFtpTestLab, TEST_PASSWORD, transcript } from './ftp-helpers.ts';

let lab: TestLab;
let outside: string;
let root: string;
beforeAll(async () => {
  lab = await startFtpTestLab();
  root = path.join(lab.dataDir, 'sandboxes/local/files');
  outside = fs.mkdtempSync(path.join(os.tmpdir(), 'ftp-outside-'));
  fs.writeFileSync(path.join(outside, 'secret.txt'), 'TOP SECRET');
  fs.symlinkSync(outside, path.join(root, 'link'));
  fs.writeFileSync(path.join(root, 'inside.txt'), 'inside');
});
afterAll(async () => {
  await lab?.stop();
  fs.rmSync(outside, { recursive: true, force: true });
});

const realPaths = () => [lab.dataDir, fs.realpathSync(lab.dataDir), outside, fs.realpathSync(outside)];

describe('FTP jail and bounce protection', () => {
  it.each([
    'CWD ../..',
    'CWD ../../etc',
    'CWD .\\..\\..\\',
    'CWD /link',
    'CWD /etc',
    'SIZE ../../etc/passwd',
    'SIZE /link/secret.txt',
    'MDTM /etc/passwd',
    'SIZE a\0b',
    'DELE /link/secret.txt',
    'RNFR /link/secret.txt',
    'MKD /link/new',
    'RMD ../..',
  ])('refuses %j with 550 and names no real path', async (command) => {
    const s = await rawSession(lab.port('ftp'));
    await s.send('USER student');
    expect(await s.send(`PASS ${TEST_PASSWORD}`)).toMatch(/^230/);
    const reply = await s.send(command);
    s.close();
    expect(reply).toMatch(/^550 /);
    for (const p of realPaths()) expect(reply).not.toContain(p);
  });

  it.each(['../../etc/passwd', '/etc/passwd', '/link/secret.txt', '..\\..\\etc\\passwd'])('will not download %s', async (name) => {
    const { client } = await login(lab);
    const error = await client.downloadTo(new Writable({ write: (_c, _e, cb) => cb() }), name).then(() => null, (e: Error) => e.message);
    client.close();
    expect(error).toMatch(/55\d/);
    for (const p of realPaths()) expect(error).not.toContain(p);
  });

  it('will not upload through a symlink out of the sandbox', async () => {
    const { client } = await login(lab);
    const error = await client.uploadFrom(Readable.from([Buffer.from('x')]), '/link/planted.txt').then(() => null, (e: Error) => e.message);
    client.close();
    expect(error).toMatch(/55\d/);
    expect(fs.readdirSync(outside)).toEqual(['secret.txt']);
  });

  it.each([
    ['PORT 10,0,0,1,4,1', 'another address'],
    ['PORT 127,0,0,1,0,25', 'a privileged port'],
    ['EPRT |1|10.0.0.1|2000|', 'another address (EPRT)'],
  ])('refuses %s (%s) — FTP bounce, RFC 2577', async (command) => {
    const s = await rawSession(lab.port('ftp'));
    await s.send('USER student');
    await s.send(`PASS ${TEST_PASSWORD}`);
    const reply = await s.send(command);
    s.close();
    expect(reply).toMatch(/^500 Illegal/);
  });

  it("refuses PORT into the lab's own servers: the web port and the labs' ports (a client tunnelled in over SSH comes from 127.0.0.1)", async () => {
    // A lab whose web port is known, as `npm start` runs it: PORT there would carry a file's bytes into the web side as the owner.
    const webPort = 39_000 + (process.pid % 1000);
    const withWeb = await startTestLab({ labs: [ftpLab], config: { webPort } });
    try {
      for (const port of [webPort, withWeb.port('ftp')]) {
        const s = await rawSession(withWeb.port('ftp'));
        await s.send('USER student');
        await s.send(`PASS ${TEST_PASSWORD}`);
        const reply = await s.send(`PORT 127,0,0,1,${port >> 8},${port & 255}`);
        s.close();
        expect(reply).toBe("500 Illegal PORT command: the lab's own ports are refused (RFC 2577)");
      }
    } finally {
      await withWeb.stop();
    }
  });

  it('never shows a real path anywhere in the transcripts', async () => {
    const { connections } = await lab.api<{ connections: { id: string }[] }>('/api/connections?protocol=ftp&limit=1000');
    for (const c of connections) {
      const text = JSON.stringify(await transcript(lab, c.id));
      for (const p of realPaths()) expect(text).not.toContain(p);
    }
    expect(fs.readdirSync(outside)).toEqual(['secret.txt']);
  });
});
