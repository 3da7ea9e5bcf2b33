import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { enterPassiveModeIPv4, type Client } from 'basic-ftp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestLab } from '../helpers/daemon.ts';
import { dataConnections, login, startFtpTestLab, TEST_PASSWORD, transcript } from './ftp-helpers.ts';

let lab: TestLab;
beforeAll(async () => {
  lab = await startFtpTestLab();
});
afterAll(async () => {
  await lab?.stop();
});

async function download(client: Client, name: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await client.downloadTo(new Writable({ write: (c: Buffer, _e, cb) => (chunks.push(c), cb()) }), name);
  return Buffer.concat(chunks);
}

const annotated = (messages: { text: string; annotation?: { key?: string }; view: string }[], view = 'wire') =>
  messages.filter((m) => m.view === view && m.annotation?.key).map((m) => m.annotation?.key);

describe('FTP lab with basic-ftp', () => {
  it('logs in, makes a directory, uploads, lists, downloads byte-exact, renames and deletes', async () => {
    const { client, conn } = await login(lab);
    client.prepareTransfer = enterPassiveModeIPv4; // PASV → 227, the classic form
    const payload = randomBytes(300_000);
    await client.ensureDir('/work');
    await client.uploadFrom(Readable.from([payload]), 'data.bin');
    expect((await client.list()).map((f) => f.name)).toContain('data.bin');
    expect((await download(client, 'data.bin')).equals(payload)).toBe(true);
    await client.rename('data.bin', 'renamed.bin');
    expect(fs.readFileSync(path.join(lab.dataDir, 'sandboxes/local/files/work/renamed.bin')).equals(payload)).toBe(true);
    await client.remove('renamed.bin');
    expect((await client.list()).map((f) => f.name)).not.toContain('renamed.bin');
    await client.send('QUIT');
    client.close();

    const { messages } = await transcript(lab, conn);
    const keys = annotated(messages);
    for (const key of ['ftp.reply.220.greeting', 'ftp.reply.331', 'ftp.reply.230.login', 'ftp.reply.227', 'ftp.reply.150', 'ftp.reply.226', 'ftp.reply.221']) expect(keys).toContain(key);
    const pasv = messages.find((m) => m.text.startsWith('227'));
    const port = Number(pasv?.fields?.find((f) => f.name === 'port')?.value);
    expect(port).toBeGreaterThan(0);
    // Plain FTP: the eavesdropper's view shows the password as it crossed (it is the lab password).
    expect(messages.find((m) => m.text.startsWith('PASS'))).toMatchObject({ view: 'wire', text: `PASS ${TEST_PASSWORD}` });

    const data = await dataConnections(lab, conn);
    expect(data.length).toBeGreaterThanOrEqual(4); // STOR, LIST, RETR, LIST
    expect(data.every((d) => d.label?.includes('passive'))).toBe(true);
    const upload = await transcript(lab, (data.at(-1) ?? data[0]).id); // newest first: the last is the STOR
    // Plain FTP: an eavesdropper reads the file's first bytes; the rest is summarised, never stored.
    expect(upload.messages.some((m) => m.kind === 'data' && m.dir === 'client')).toBe(true);
    expect(upload.messages.reduce((n, m) => n + (m.dir === 'client' ? (m.bytes ?? 0) : 0), 0)).toBe(payload.length);
    expect(JSON.stringify(upload.messages).length).toBeLessThan(20_000);
    expect(upload.messages.some((m) => m.text.includes('Carries the data for STOR'))).toBe(true);
  });

  it('runs FTPS with PROT P: TLS records on the wire, the session in the endpoint view', async () => {
    const { client, conn } = await login(lab, { secure: true });
    const payload = randomBytes(50_000);
    await client.uploadFrom(Readable.from([payload]), 'secret.bin');
    expect((await download(client, 'secret.bin')).equals(payload)).toBe(true);
    await client.send('QUIT');
    client.close();

    const { messages } = await transcript(lab, conn);
    expect(annotated(messages)).toContain('ftp.reply.234');
    const afterTls = messages.slice(messages.findIndex((m) => m.text.startsWith('234')) + 1).filter((m) => m.view === 'wire' && m.dir !== 'note');
    expect(afterTls.length).toBeGreaterThan(0);
    expect(afterTls.every((m) => m.kind === 'tls-record')).toBe(true);
    const endpoint = messages.filter((m) => m.view === 'endpoint');
    expect(endpoint.find((m) => m.text.startsWith('PASS'))).toMatchObject({ text: 'PASS ********', annotation: { key: 'ftp.cmd.PASS.tls' } });
    expect(annotated(messages, 'endpoint')).toEqual(expect.arrayContaining(['ftp.reply.230.login', 'ftp.reply.200.prot', 'ftp.reply.150', 'ftp.reply.226']));

    const data = await dataConnections(lab, conn);
    expect(data.length).toBe(2);
    for (const d of data) {
      const t = await transcript(lab, d.id);
      expect(t.messages.some((m) => m.kind === 'tls-record' && m.text.includes('ClientHello'))).toBe(true);
      expect(t.messages.some((m) => m.kind === 'data')).toBe(false);
    }
  });

  it('refuses the 11th control connection from one address with 421', async () => {
    const { rawSession } = await import('./ftp-helpers.ts');
    const sessions = await Promise.all(Array.from({ length: 10 }, () => rawSession(lab.port('ftp'))));
    const net = await import('node:net');
    const refused = await new Promise<string>((resolve) => {
      const s = net.connect(lab.port('ftp'), '127.0.0.1');
      let text = '';
      s.on('data', (c) => (text += c.toString()));
      s.on('close', () => resolve(text));
    });
    expect(refused).toMatch(/^421 /);
    for (const s of sessions) s.close();
  });
});
