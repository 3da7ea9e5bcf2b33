import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleStatus } from '../../lib/daemon/console.ts';
import type { LabConsole } from '../../lib/daemon/labs/lab.ts';
import type { TestLab } from '../helpers/daemon.ts';
import { dataConnections, startFtpTestLab, TEST_PASSWORD, transcript } from './ftp-helpers.ts';

let lab: TestLab;
beforeAll(async () => {
  lab = await startFtpTestLab();
});
afterAll(async () => {
  await lab?.stop();
});

/** Opens the FTP lab's console with an io that lets a test wait for output or status. */
function openConsole(): { console: LabConsole; until(pattern: RegExp): Promise<string>; conn(): Promise<string> } {
  const lab0 = lab.daemon.labs.find((l) => l.protocol === 'ftp');
  let output = '';
  const waiters: { pattern: RegExp; resolve(text: string): void }[] = [];
  let opened: (conn: string) => void = () => {};
  const connPromise = new Promise<string>((resolve) => (opened = resolve));
  const check = () => {
    for (const w of [...waiters]) if (w.pattern.test(output)) waiters.splice(waiters.indexOf(w), 1) && w.resolve(output);
  };
  const console = lab0?.openConsole?.({
    status: (s: ConsoleStatus) => s.state === 'open' && opened(s.conn),
    output: (text: string) => {
      output += text;
      check();
    },
  });
  if (!console) throw new Error('no console');
  console.open({ cols: 100, rows: 30 });
  return {
    console,
    until: (pattern) => new Promise((resolve) => (waiters.push({ pattern, resolve }), check())),
    conn: () => connPromise,
  };
}

describe('FTP console', () => {
  it('opens the data connection for the user after PASV + LIST and says so', async () => {
    const c = openConsole();
    const conn = await c.conn();
    c.console.sendLine('USER student');
    c.console.sendLine(`PASS ${TEST_PASSWORD}`);
    c.console.sendLine('STOR hello.txt'); // no PASV yet: the lab explains
    await c.until(/needs a data connection/);
    c.console.sendLine('PASV');
    // Wait for the 227 to reach the console before the transfer (as a human would).
    await new Promise<void>((resolve) => {
      const poll = async () => ((await transcript(lab, conn)).messages.some((m) => m.text.startsWith('227')) ? resolve() : setImmediate(poll));
      void poll();
    });
    c.console.sendLine('STOR hello.txt');
    await c.until(/sample text/);
    c.console.sendLine('PORT');
    await c.until(/listens on 127\.0\.0\.1/);
    c.console.sendLine('LIST');
    const out = await c.until(/Data connection closed after/);
    expect(out).toContain('hello.txt');
    c.console.close();
    const data = await dataConnections(lab, conn);
    expect(data.map((d) => d.label)).toEqual(expect.arrayContaining([expect.stringContaining('active'), expect.stringContaining('passive')]));
  });

  it('friendly client mode shows the raw commands it sends', async () => {
    const c = openConsole();
    await c.conn();
    c.console.sendLine(':client');
    c.console.sendLine('secure on');
    c.console.sendLine('open');
    await c.until(/< 230/);
    c.console.sendLine('put note.txt hello there');
    await c.until(/uploaded as note\.txt/);
    c.console.sendLine('passive off');
    c.console.sendLine('get note.txt');
    const out = await c.until(/hello there/);
    expect(out).toContain('> AUTH TLS');
    expect(out).toContain('> PORT 127,0,0,1');
    c.console.close();
  });
});

describe('FTP routes', () => {
  it('uploads and downloads through the tap, byte-exact, FTPS active and passive', async () => {
    const body = Buffer.from('x'.repeat(100_000));
    const res = await fetch(`${lab.baseUrl}/api/ftp/upload?name=api.bin&secure=1`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body });
    const up = (await res.json()) as { transfer: string; conn: string; bytes: number };
    expect(up.bytes).toBe(body.length);
    expect(await lab.api<{ done: boolean; bytes: number }>(`/api/ftp/transfers/${up.transfer}`)).toMatchObject({ done: true });
    for (const passive of ['1', '0']) {
      const down = await fetch(`${lab.baseUrl}/api/ftp/download?name=api.bin&secure=1&passive=${passive}`);
      expect(Buffer.from(await down.arrayBuffer()).equals(body)).toBe(true);
    }
  });

  it('drives a client session with the raw log', async () => {
    const open = await lab.api<{ ok: boolean; log: string[]; conn: string }>('/api/ftp/client', { body: { session: 's1', action: 'open' } });
    expect(open.ok).toBe(true);
    expect(open.log).toContain('> USER student');
    const ls = await lab.api<{ ok: boolean; result: { name: string }[] }>('/api/ftp/client', { body: { session: 's1', action: 'ls' } });
    expect(ls.result.map((f) => f.name)).toContain('api.bin');
    await lab.api('/api/ftp/client', { body: { session: 's1', action: 'close' } });
  });

  it('compares FTPS with SFTP from real sessions (SFTP says why when the SSH lab is absent)', async () => {
    const table = await lab.api<{ rows: { protocol: string; ok: boolean; tcpConnections: number; bytesOnWire: number; error?: string }[] }>('/api/ftp/compare', { body: { bytes: 100_000 } });
    const [ftps, sftp] = table.rows;
    expect(ftps).toMatchObject({ protocol: 'FTPS', ok: true, tcpConnections: 3 });
    expect(ftps.bytesOnWire).toBeGreaterThan(200_000);
    expect(sftp.protocol).toBe('SFTP');
    expect(sftp.ok ? sftp.tcpConnections : sftp.error).toBeTruthy();
  });
});
