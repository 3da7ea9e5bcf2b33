import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestLab } from '../helpers/daemon.ts';
import { curl, dataConnections, python, startFtpTestLab, TEST_PASSWORD, transcript } from './ftp-helpers.ts';

// ftplib: argv = port password active(0/1) tls(0 / 1 = PROT P / C = AUTH TLS but PROT C) filename → prints "ok <bytes> <sha256>" or "error <reply>".
const FTPLIB = `
import ftplib, hashlib, ssl, sys
port, password, active, secure, name = int(sys.argv[1]), sys.argv[2], sys.argv[3] == '1', sys.argv[4] in ('1', 'C'), sys.argv[5]
if secure:
    ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
    ftp = ftplib.FTP_TLS(context=ctx, timeout=10)
else:
    ftp = ftplib.FTP(timeout=10)
ftp.connect('127.0.0.1', port)
ftp.login('student', password)
if sys.argv[4] == '1': ftp.prot_p()
ftp.set_pasv(not active)
chunks = []
try:
    ftp.retrbinary('RETR ' + name, chunks.append)
    data = b''.join(chunks)
    print('ok', len(data), hashlib.sha256(data).hexdigest())
    ftp.storbinary('STOR up-' + name, __import__('io').BytesIO(data))
    print('stored')
except ftplib.all_errors as e:
    print('error', str(e))
ftp.quit()
`;

let lab: TestLab;
const payload = randomBytes(200_000);
const sha = createHash('sha256').update(payload).digest('hex');
beforeAll(async () => {
  lab = await startFtpTestLab();
  fs.writeFileSync(path.join(lab.dataDir, 'sandboxes/local/files/fixture.bin'), payload);
});
afterAll(async () => {
  await lab?.stop();
});

const ftplib = (active: boolean, secure: boolean | 'C') => python(FTPLIB, [String(lab.port('ftp')), TEST_PASSWORD, active ? '1' : '0', secure === 'C' ? 'C' : secure ? '1' : '0', 'fixture.bin']);

describe('Python ftplib', () => {
  it.each([
    ['active (PORT), plain', true, false],
    ['passive, plain', false, false],
    ['FTP_TLS passive with PROT P (handshake after 150)', false, true],
    ['FTP_TLS active with PROT P', true, true],
  ])('transfers byte-exact: %s', async (_name, active, secure) => {
    const result = await ftplib(active, secure);
    expect(result.stdout, result.stderr).toContain(`ok ${payload.length} ${sha}`);
    expect(result.stdout).toContain('stored');
  });

  it('FTP_TLS without prot_p (PROT C default): commands encrypted, file bytes readable on the wire', async () => {
    const result = await ftplib(false, 'C');
    expect(result.stdout, result.stderr).toContain(`ok ${payload.length} ${sha}`);
    const { connections } = await lab.api<{ connections: { id: string; parent?: string }[] }>('/api/connections?protocol=ftp&limit=5');
    const control = connections.find((c) => !c.parent);
    const t = await transcript(lab, control?.id ?? '');
    expect(t.messages.some((m) => m.text.startsWith('234'))).toBe(true);
    const data = await dataConnections(lab, control?.id ?? '');
    const retr = await transcript(lab, data.at(-1)?.id ?? '');
    expect(retr.messages.some((m) => m.kind === 'data' && m.dir === 'server')).toBe(true);
    expect(retr.messages.some((m) => m.kind === 'tls-record')).toBe(false);
  });

  it('gets 425 in active mode when the client firewall is on, and records the blocked connect-back', async () => {
    await lab.api('/api/ftp/firewall', { body: { enabled: true } });
    try {
      const result = await ftplib(true, false);
      expect(result.stdout).toMatch(/^error 425/m);
      const passive = await ftplib(false, false);
      expect(passive.stdout).toContain(`ok ${payload.length}`);
    } finally {
      await lab.api('/api/ftp/firewall', { body: { enabled: false } });
    }
    const { connections } = await lab.api<{ connections: { id: string; parent?: string; label?: string }[] }>('/api/connections?protocol=ftp&limit=200');
    const blocked = connections.find((c) => c.label?.includes('active'));
    expect(blocked).toBeDefined();
    const controls = connections.filter((c) => !c.parent);
    const hit = await Promise.all(controls.map(async (c) => (await transcript(lab, c.id)).messages.find((m) => m.text.startsWith('425'))));
    expect(hit.find(Boolean)?.annotation?.key).toBe('ftp.reply.425');
    const all = await Promise.all(connections.filter((c) => c.parent).map((c) => transcript(lab, c.id)));
    expect(all.some((t) => t.messages.some((m) => m.annotation?.key === 'ftp.data.firewall'))).toBe(true);
  });
});

describe('curl', () => {
  const url = () => `ftp://student:${TEST_PASSWORD}@127.0.0.1:${lab.port('ftp')}/`;

  it('lists and fetches over plain FTP', async () => {
    const list = await curl(['-l', url()]);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout.toString()).toContain('fixture.bin');
    const fetched = await curl([`${url()}fixture.bin`]);
    expect(fetched.stdout.equals(payload)).toBe(true);
  });

  it('LIST writes ls -l lines as SFTP and the SSH shell do: the login owns the sandbox, no host uid', async () => {
    const list = await curl([url()]);
    expect(list.code, list.stderr).toBe(0);
    const line = list.stdout.toString().split(/\r?\n/).find((l) => l.endsWith(' fixture.bin'));
    expect(line).toMatch(/^-rw-r--r-- +1 student student +\d+ [A-Z][a-z]{2} [ \d]\d ( \d{4}|\d\d:\d\d) fixture\.bin$/);
    expect(line?.split(/ +/)[4]).toBe(String(payload.length));
  });

  it('lists and fetches over FTPS (--ssl-reqd -k), data channel encrypted', async () => {
    const list = await curl(['--ssl-reqd', '-k', url()]);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout.toString()).toContain('fixture.bin');
    for (let i = 0; i < 5; i++) {
      // Repeated: the AUTH TLS race used to break curl about 2 times in 3.
      const fetched = await curl(['--ssl-reqd', '-k', `${url()}fixture.bin`]);
      expect(fetched.code, fetched.stderr).toBe(0);
      expect(fetched.stdout.equals(payload)).toBe(true);
    }
    const { connections } = await lab.api<{ connections: { id: string; parent?: string }[] }>('/api/connections?protocol=ftp&limit=5');
    const control = connections.find((c) => !c.parent);
    expect(control).toBeDefined();
    const data = await dataConnections(lab, control?.id ?? '');
    const t = await transcript(lab, data[0].id);
    expect(t.messages.some((m) => m.kind === 'tls-record')).toBe(true);
  });
});
