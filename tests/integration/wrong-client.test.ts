/**
 * A student points the wrong client at a port (curl at the SMTP port, ssh at the FTP port, swaks at the
 * SSH port, https:// at a plain-HTTP port): the transcript names the client it was, from its first
 * message (lib/protocols/kit/other-client.ts), instead of a generic "unknown command". Real clients.
 */
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionInfo, LabMessage, Protocol } from '../../lib/wire/event.ts';
import { nextEvent } from '../helpers/bus.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';
import { tool, type Tool } from '../helpers/tools.ts';

let lab: TestLab;
beforeAll(async () => {
  lab = await startTestLab();
}, 60_000);
afterAll(async () => {
  await lab?.stop();
});

/** The public port of a lab's first endpoint (the ZeroMQ lab has six: its REP first). */
function portOf(protocol: Protocol): number {
  const running = lab.daemon.labs.find((l) => l.protocol === protocol);
  const port = running?.endpoints[0]?.port;
  if (!port) throw new Error(`no ${protocol} endpoint`);
  return port;
}

/** Runs a client that is bound to fail here (wrong protocol), to its end or `timeoutMs`. */
function runToEnd(name: Tool, args: string[], timeoutMs = 15_000): Promise<string> {
  return new Promise((resolve) => {
    execFile(tool(name), args, { timeout: timeoutMs }, (_err, stdout, stderr) => resolve(`${stdout}${stderr}`));
  });
}

/** Runs the client and returns the wire messages of the connection it made (stored once closed). */
async function transcriptOf(protocol: Protocol, name: Tool, args: string[]): Promise<{ output: string; client: LabMessage[]; server: LabMessage[] }> {
  const closed = nextEvent(lab.daemon.bus, 'connection.close', (e) => e.connection.protocol === protocol && !e.connection.label, 30_000);
  const output = await runToEnd(name, args);
  const { connection } = await closed;
  const { messages } = await lab.api<{ connection: ConnectionInfo; messages: LabMessage[] }>(`/api/connections/${connection.id}`);
  const wire = messages.filter((m) => m.view === 'wire');
  return { output, client: wire.filter((m) => m.dir === 'client'), server: wire.filter((m) => m.dir === 'server') };
}

const keys = (messages: LabMessage[]) => messages.map((m) => m.annotation?.key);
const ssh = (port: number) => ['-F', '/dev/null', '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=3', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-p', String(port), 'student@127.0.0.1', 'true'];

describe('the SMTP port names the client that was pointed at it', () => {
  it('curl: an HTTP request, its header lines, then 421', async () => {
    const { client, server } = await transcriptOf('smtp', 'curl', ['-s', '--max-time', '5', `http://127.0.0.1:${portOf('smtp')}/`]);
    expect(client[0].text).toBe('GET / HTTP/1.1');
    expect(client[0].annotation?.key).toBe('smtp.other.http');
    expect(keys(client.slice(1))).toContain('smtp.other.http-more');
    expect(keys(client)).not.toContain('smtp.early-talker');
    expect(server[0].text).toMatch(/^421 /);
  });

  it('OpenSSH: its version line', async () => {
    const { output, client } = await transcriptOf('smtp', 'ssh', ssh(portOf('smtp')));
    expect(output).toContain('kex_exchange_identification');
    expect(client[0].text).toMatch(/^SSH-2\.0-OpenSSH/);
    expect(client[0].annotation?.key).toBe('smtp.other.ssh');
  });

  it('swaks with implicit TLS: one ClientHello, not lines of garbage', async () => {
    const { client } = await transcriptOf('smtp', 'swaks', ['--to', 'bob@lab.test', '--server', `127.0.0.1:${portOf('smtp')}`, '--tls-on-connect', '--timeout', '5']);
    expect(client).toHaveLength(1);
    expect(client[0].text).toMatch(/ClientHello/);
    expect(client[0].annotation?.key).toBe('smtp.tls.unexpected');
  });

  it('lftp: FEAT first, and AUTH TLS is not an SMTP AUTH', async () => {
    const { client } = await transcriptOf('smtp', 'lftp', ['-e', 'set net:max-retries 1; set net:timeout 3; ls; quit', '-u', 'student,secret', '-p', String(portOf('smtp')), '127.0.0.1']);
    expect(client[0].text).toBe('FEAT');
    expect(client[0].annotation?.key).toBe('smtp.other.ftp');
    const authTls = client.find((m) => m.text === 'AUTH TLS');
    expect(authTls?.annotation?.key).toBe('smtp.cmd.auth-tls');
  });
});

describe('the FTP port names the client that was pointed at it', () => {
  it('curl: an HTTP request and its header lines', async () => {
    const { client } = await transcriptOf('ftp', 'curl', ['-s', '--max-time', '5', `http://127.0.0.1:${portOf('ftp')}/`]);
    expect(client[0].text).toBe('GET / HTTP/1.1');
    expect(client[0].annotation?.key).toBe('ftp.other.http');
    expect(keys(client.slice(1))).toContain('ftp.other.http-more');
  });

  it('OpenSSH: its version line, then it gives up waiting for the server\'s', async () => {
    const { output, client } = await transcriptOf('ftp', 'ssh', ssh(portOf('ftp')));
    expect(output).toContain('banner exchange');
    expect(client[0].annotation?.key).toBe('ftp.other.ssh');
  });

  it('swaks: EHLO after the FTP server\'s 220', async () => {
    const { client } = await transcriptOf('ftp', 'swaks', ['--to', 'bob@lab.test', '--server', `127.0.0.1:${portOf('ftp')}`, '--timeout', '5']);
    expect(client[0].text).toMatch(/^EHLO /);
    expect(client[0].annotation?.key).toBe('ftp.other.smtp');
  });
});

describe('the SSH port names the client that was pointed at it', () => {
  it('curl: an HTTP request line instead of a version line', async () => {
    const { client } = await transcriptOf('ssh', 'curl', ['-s', '--max-time', '5', `http://127.0.0.1:${portOf('ssh')}/`]);
    expect(client[0].text).toBe('GET / HTTP/1.1');
    expect(client[0].annotation?.key).toBe('ssh.other.http');
  });

  it('swaks: waits for a 220, gets the version line, gives up with QUIT', async () => {
    const { client } = await transcriptOf('ssh', 'swaks', ['--to', 'bob@lab.test', '--server', `127.0.0.1:${portOf('ssh')}`, '--timeout', '2']);
    expect(client[0].text).toBe('QUIT');
    expect(client[0].annotation?.key).toBe('ssh.other.smtp-or-ftp');
  });
});

describe('the HTTP hosts and ZeroMQ ports name the client that was pointed at them', () => {
  it('curl https:// to the plain-HTTP SOAP host', async () => {
    const { output, client } = await transcriptOf('soap', 'curl', ['-sS', '-k', '--max-time', '5', `https://127.0.0.1:${portOf('soap')}/`]);
    expect(output).toMatch(/wrong version number|SSL/i);
    expect(client[0].annotation?.key).toBe('http.other.tls');
  });

  it('OpenSSH at the access-control gateway', async () => {
    const { client, server } = await transcriptOf('gateway', 'ssh', ssh(portOf('gateway')));
    expect(client[0].annotation?.key).toBe('http.other.ssh');
    expect(server[0].text).toMatch(/^HTTP\/1\.1 400 /);
  });

  it('curl at the ZeroMQ REP socket', async () => {
    const { client } = await transcriptOf('zmq', 'curl', ['-s', '--max-time', '5', `http://127.0.0.1:${portOf('zmq')}/`]);
    expect(client[0].annotation?.key).toBe('zmtp.other.http');
  });

  it('OpenSSH at the ZeroMQ REP socket', async () => {
    const { output, client } = await transcriptOf('zmq', 'ssh', ssh(portOf('zmq')));
    expect(output).toContain('invalid format');
    expect(client[0].annotation?.key).toBe('zmtp.other.ssh');
  });
});
