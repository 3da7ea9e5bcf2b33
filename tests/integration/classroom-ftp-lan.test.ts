/**
 * Issue 15, FTP on a classroom LAN, played on a second loopback address (never a real network):
 * bound to 127.0.0.2, the lab's passive replies name 127.0.0.2 — the address the client reached —
 * and data connections to it work, for the lab's own login and for a student's, whose files and
 * transcripts are its sandbox's.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxRoot } from '../../lib/sandbox/jail.ts';
import type { ConnectionInfo } from '../../lib/wire/event.ts';
import { LAB_USER } from '../../servers/daemon/config.ts';
import { ftpLab } from '../../servers/ftp/lab.ts';
import { startTestLab, TEST_PASSWORD, type TestLab } from '../helpers/daemon.ts';
import { callAs, openStudent } from '../helpers/student.ts';
import { tool } from '../helpers/tools.ts';
import { python } from './ftp-helpers.ts';

const LAN = '127.0.0.2';
let lab: TestLab;
let port: number;
beforeAll(async () => {
  lab = await startTestLab({ labs: [ftpLab], config: { host: LAN } });
  port = lab.port('ftp');
});
afterAll(async () => {
  await lab?.stop();
});

/**
 * Python ftplib told to trust the address in 227 (it ignores it by default and reuses the control
 * connection's): it prints the PASV reply, then LISTs and RETRs through the advertised address, and
 * with a 4th argument STORs that text as lan-upload.txt first.
 */
const SESSION = `
import ftplib, io, sys
host, port, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
ftplib.FTP.trust_server_pasv_ipv4_address = True
f = ftplib.FTP()
f.connect(host, port, timeout=10)
f.login(user, password)
print('PASV:', f.sendcmd('PASV'))
if len(sys.argv) > 5:
    f.storbinary('STOR lan-upload.txt', io.BytesIO(sys.argv[5].encode()))
lines = []
f.retrlines('LIST', lines.append)
print('LIST:', ' '.join(line.split()[-1] for line in lines))
got = io.BytesIO()
f.retrbinary('RETR README.txt', got.write)
print('RETR:', len(got.getvalue()))
f.quit()
`;

async function session(user: string, password: string, upload?: string): Promise<Record<'PASV' | 'LIST' | 'RETR', string>> {
  const run = await python(SESSION, [LAN, String(port), user, password, ...(upload === undefined ? [] : [upload])]);
  expect(run.code, run.stderr).toBe(0);
  const lines = Object.fromEntries(run.stdout.trim().split('\n').map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]));
  return lines as Record<'PASV' | 'LIST' | 'RETR', string>;
}

const readmeBytes = (sandbox: string) => String(fs.statSync(path.join(sandboxRoot(lab.dataDir, sandbox), 'README.txt')).size);

describe('FTP bound to a LAN address (127.0.0.2)', () => {
  it('listens on that address, not on 127.0.0.1', async () => {
    const refused = await python(`import socket, sys\ntry:\n    socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=5)\n    print('open')\nexcept OSError:\n    print('refused')`, [String(port)]);
    expect(refused.stdout.trim()).toBe('refused');
  });

  it("advertises 127,0,0,2 in 227 to the lab's own login, and LIST and RETR work through it", async () => {
    const result = await session(LAB_USER, TEST_PASSWORD);
    expect(result.PASV).toMatch(/^227 .*\(127,0,0,2,\d{1,3},\d{1,3}\)$/);
    expect(result.LIST.split(' ')).toContain('README.txt');
    expect(result.RETR).toBe(readmeBytes('local'));
  });

  it('lftp (PASV, going where 227 says) lists the default sandbox through 127.0.0.2', async () => {
    const run = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      // PASV rather than EPSV, and the address in 227 taken as it is (lftp may otherwise "fix" it to the control connection's).
      const settings = 'set ftp:ssl-allow no; set ftp:passive-mode on; set ftp:prefer-epsv no; set ftp:fix-pasv-address no; set ftp:ignore-pasv-address no; set net:max-retries 1; set net:timeout 15';
      execFile(tool('lftp'), ['-u', `${LAB_USER},${TEST_PASSWORD}`, '-p', String(port), '-e', `${settings}; cls -1; bye`, LAN], { timeout: 30_000 }, (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.split('\n')).toContain('README.txt');
  });

  it("a student's login on the LAN address uploads into its own sandbox, its data connections reaching 127.0.0.2", async () => {
    const a = await openStudent(lab);
    const result = await session(a.user, a.password, 'from the classroom LAN\n');
    expect(result.PASV).toMatch(/\(127,0,0,2,\d{1,3},\d{1,3}\)$/);
    expect(result.LIST.split(' ')).toEqual(expect.arrayContaining(['README.txt', 'lan-upload.txt']));
    expect(fs.readFileSync(path.join(sandboxRoot(lab.dataDir, a.sandbox), 'lan-upload.txt'), 'utf8')).toBe('from the classroom LAN\n');
    expect(fs.existsSync(path.join(sandboxRoot(lab.dataDir, 'local'), 'lan-upload.txt'))).toBe(false);

    const mine = (await callAs<{ connections: ConnectionInfo[] }>(lab, a.cookie, '/api/connections?protocol=ftp&limit=100')).body.connections;
    const control = mine.find((c) => !c.parent);
    expect(control?.server).toBe(`${LAN}:${port}`);
    const data = mine.filter((c) => c.parent === control?.id);
    // STOR, LIST and RETR each had a data connection, each to the LAN address.
    expect(data).toHaveLength(3);
    for (const c of data) expect(c.server).toMatch(/^127\.0\.0\.2:\d+$/);
    const owners = (await callAs<{ connections: ConnectionInfo[] }>(lab, undefined, '/api/connections?protocol=ftp&limit=100')).body.connections;
    expect(owners.map((c) => c.id)).not.toContain(control?.id);
  });
});
