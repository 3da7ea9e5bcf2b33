/**
 * The ZeroMQ page's "Use your own client" recipes, run for real as a student would paste them:
 * the seed's pyzmq scripts (Debian's python3-zmq), `ssh -N -L` then pyzmq, pyzmq's
 * tunnel_connection (python3-paramiko), and Node zeromq, against a test lab's real ports.
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zmqRecipes, type ZmqRecipeTargets } from '../../components/zmq/recipes.ts';
import { zmqContracts, type ZmqInfo } from '../../servers/zmq/lab/contracts.ts';
import { startTestLab, TEST_PASSWORD, type TestLab } from '../helpers/daemon.ts';
import { pythonWithZmq, tool } from '../helpers/tools.ts';

let lab: TestLab;
let work: string;
let targets: ZmqRecipeTargets;
beforeAll(async () => {
  lab = await startTestLab();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'zmq-recipes-'));
  const { zmq } = await lab.api<{ zmq: ZmqInfo }>('/api/lab');
  await lab.api(zmqContracts.think, { body: { ms: 0 } });
  targets = { host: '127.0.0.1', ports: zmq.ports, curveServerKey: zmq.curveServerKey, ssh: { port: lab.port('ssh'), user: 'student', password: TEST_PASSWORD } };
});
afterAll(async () => {
  await lab?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

function run(file: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: work, timeout: 40_000, env: { ...process.env, HOME: work, ...env } }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

function recipe(name: string): string {
  const found = zmqRecipes(targets).find((r) => r.name === name);
  if (!found) throw new Error(`no recipe called ${name}`);
  return found.code;
}

const python = async (code: string) => run(await pythonWithZmq(), ['-c', code]);
const tenReplies = (stdout: string) => stdout.match(/Received reply \d+ \[ World from \d+ \]/g) ?? [];

/** A port nobody listens on, for the tunnel's local end (the recipe's own may be taken on a dev machine). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe("the ZeroMQ page's own-client recipes", () => {
  it("the seed's pyzmq REQ: ten Hellos, ten replies", async () => {
    const r = await python(recipe('pyzmq · REQ (the seed)'));
    expect(r.code, r.stderr).toBe(0);
    expect(tenReplies(r.stdout)).toHaveLength(10);
  });

  it("pyzmq's tunnel_connection through the lab's SSH server", async () => {
    const r = await python(recipe('pyzmq · tunnel_connection'));
    expect(r.code, r.stderr).toBe(0);
    expect(tenReplies(r.stdout)).toHaveLength(10);
  });

  it('ssh -N -L, then the same pyzmq client through the tunnel', async () => {
    const code = recipe('ssh -L, then pyzmq');
    const sshLine = code.split('\n').find((l) => l.startsWith('ssh -N'));
    const script = code.split("<<'EOF'\n")[1]?.split('\nEOF')[0];
    if (!sshLine || !script) throw new Error(`recipe not in the expected shape:\n${code}`);
    const shown = /-L 127\.0\.0\.1:(\d+):/.exec(sshLine)?.[1];
    if (!shown) throw new Error(`no local port in ${sshLine}`);
    const local = String(await freePort());
    const askpass = path.join(work, 'askpass.sh');
    fs.writeFileSync(askpass, `#!/bin/sh\necho '${TEST_PASSWORD}'\n`, { mode: 0o700 });
    const args = sshLine.replace(`127.0.0.1:${shown}:`, `127.0.0.1:${local}:`).replace(/^ssh /, '').split(' ');
    const child = spawn(tool('ssh'), ['-o', 'StrictHostKeyChecking=no', '-o', `UserKnownHostsFile=${path.join(work, 'known_hosts')}`, '-o', 'ExitOnForwardFailure=yes', ...args], {
      env: { ...process.env, SSH_ASKPASS: askpass, SSH_ASKPASS_REQUIRE: 'force', DISPLAY: ':0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let sshErrors = '';
    child.stderr.on('data', (d: Buffer) => (sshErrors += d.toString()));
    try {
      // The tunnel is up once its local end accepts; until then the client would connect to nothing.
      await expect.poll(() => new Promise((resolve) => net.connect(Number(local), '127.0.0.1').once('connect', function (this: net.Socket) { this.destroy(); resolve(true); }).once('error', () => resolve(false))), { timeout: 20_000 }).toBe(true);
      const r = await python(script.replace(`tcp://127.0.0.1:${shown}`, `tcp://127.0.0.1:${local}`));
      expect(r.code, r.stderr + sshErrors).toBe(0);
      expect(tenReplies(r.stdout)).toHaveLength(10);
    } finally {
      child.kill();
    }
  });

  it('SUB with a prefix filter gets only weather topics, then clock after the switch', async () => {
    const r = await python(recipe('pyzmq · SUB'));
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(5);
    for (const line of lines.slice(0, 4)) expect(line).toMatch(/^\[b'weather\./);
    expect(lines[4]).toMatch(/^\[b'clock/);
  });

  it('a PUSH/PULL worker receives five tasks and sends five results', async () => {
    const r = await python(recipe('pyzmq · PUSH/PULL worker'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.match(/^received /gm)).toHaveLength(5);
  });

  it('PAIR answers its one peer', async () => {
    const r = await python(recipe('pyzmq · PAIR'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^b'.+'/);
  });

  it("CURVE with the server's public key from the page", async () => {
    const r = await python(recipe('pyzmq · CURVE'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/World from/);
  });

  it('Node zeromq: ten Hellos, ten replies', async () => {
    const file = path.join(work, 'client.cjs');
    fs.writeFileSync(file, recipe('Node zeromq'));
    // As if `npm install zeromq` had run beside the script: resolve it from the lab's node_modules.
    const r = await run(process.execPath, [file], { NODE_PATH: path.resolve('node_modules') });
    expect(r.code, r.stderr).toBe(0);
    expect(tenReplies(r.stdout)).toHaveLength(10);
  });
});
