/**
 * The seed's point: the same REQ/REP through the lab's SSH server. OpenSSH `ssh -N -L` then pyzmq, and
 * pyzmq's own zmq.ssh.tunnel_connection (paramiko), both reach the REP; the tunnelled ZeroMQ connection
 * lists as a child of its SSH connection; a tunnel to a port that is not the lab's is still refused.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestLab, TEST_PASSWORD, type TestLab } from '../helpers/daemon.ts';
import { tool } from '../helpers/tools.ts';
import { within } from '../helpers/waits.ts';
import { zmqContracts } from '../../servers/zmq/lab/contracts.ts';
import { runPython, seedClient, zmqOf, zmqTranscript } from './zmq-helpers.ts';

let lab: TestLab;
let dir: string;
let keyFile: string;
beforeAll(async () => {
  lab = await startTestLab();
  await lab.api(zmqContracts.think, { body: { ms: 0 } });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zmq-tunnel-'));
  const key = await lab.api<{ privateKeyUrl: string }>('/api/ssh/keys', { body: { name: 'id_ed25519' } });
  keyFile = path.join(dir, 'id_ed25519');
  fs.writeFileSync(keyFile, await lab.api<string>(key.privateKeyUrl), { mode: 0o600 });
}, 60_000);
afterAll(async () => {
  await lab?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** A free local port for the tunnel's local end. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * `ssh -N -L local:127.0.0.1:dest`, resolved once ssh says its local end listens (`-v` prints that line
 * right after listen(), once it has logged in). No probing: each probe would be a tunnelled connection of
 * its own, and a fixed number of them ran out on a loaded machine before ssh had logged in.
 */
async function openSshTunnel(local: number, dest: number): Promise<ChildProcess> {
  const child = spawn(tool('ssh'), [
    '-v', '-F', '/dev/null', '-i', keyFile, '-o', `UserKnownHostsFile=${path.join(dir, 'known_hosts')}`,
    '-o', 'StrictHostKeyChecking=accept-new', '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes', '-o', 'ExitOnForwardFailure=yes',
    '-N', '-L', `127.0.0.1:${local}:127.0.0.1:${dest}`, '-p', String(lab.port('ssh')), 'student@127.0.0.1',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const listening = new Promise<void>((resolve, reject) => {
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.includes(`Local forwarding listening on 127.0.0.1 port ${local}.`)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`ssh exited (${code}) before its local end listened`)));
  });
  try {
    await within(listening, `ssh -L to listen on 127.0.0.1:${local}`, 30_000);
    return child;
  } catch (err) {
    child.kill();
    throw new Error(`${(err as Error).message}; ssh said:\n${stderr}`);
  }
}

describe('REQ/REP through the SSH lab', () => {
  it('ssh -N -L, then the seed’s client: 10 Worlds, and the ZeroMQ connection is a child of the SSH connection', async () => {
    const rep = zmqOf(lab).tapOf.rep.port;
    const local = await freePort();
    const ssh = await openSshTunnel(local, rep);
    const t = zmqTranscript(lab.daemon.bus);
    try {
      const run = await runPython(seedClient(`socket.connect("tcp://127.0.0.1:${local}")`));
      expect(run.stderr).toBe('');
      expect(run.stdout.match(/Received reply \d+ \[ World from \d+ \]/g)).toHaveLength(10);
    } finally {
      ssh.kill();
      t.stop();
    }
    const tunnelled = [...t.connections.values()].filter((c) => c.parent);
    expect(tunnelled.length).toBeGreaterThanOrEqual(1);
    expect(tunnelled[0].parent).toMatch(/^ssh-/);
    expect(tunnelled[0].sandbox).toBe('local');
  }, 60_000);

  it('pyzmq zmq.ssh.tunnel_connection (paramiko, password) reaches the REP', async () => {
    const rep = zmqOf(lab).tapOf.rep.port;
    const run = await runPython(
      seedClient(`from zmq import ssh
ssh.tunnel_connection(socket, "tcp://127.0.0.1:${rep}", "student@127.0.0.1:${lab.port('ssh')}", password=${JSON.stringify(TEST_PASSWORD)}, paramiko=True)`, 3),
      60_000,
    );
    expect(run.stdout.match(/Received reply \d+ \[ World from \d+ \]/g), run.stderr).toHaveLength(3);
  }, 90_000);

  it('a tunnel to a port that is not the lab’s is refused', async () => {
    const outside = net.createServer((s) => s.end('should not be reached\n'));
    await new Promise<void>((resolve) => outside.listen(0, '127.0.0.1', resolve));
    const dest = (outside.address() as net.AddressInfo).port;
    const local = await freePort();
    const ssh = await openSshTunnel(local, dest);
    try {
      const got = await within(new Promise<string>((resolve) => {
        const socket = net.connect(local, '127.0.0.1');
        let data = '';
        socket.on('data', (d) => (data += d.toString()));
        socket.on('close', () => resolve(data));
        socket.on('error', () => resolve(data));
      }), "ssh to close the tunnelled connection it may not open");
      expect(got).toBe('');
    } finally {
      ssh.kill();
      outside.close();
    }
  }, 60_000);
});
