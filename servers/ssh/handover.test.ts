/**
 * The SSH server takes connections handed over in process (ssh2's injectSocket of the tap's
 * in-memory end) and, with no port of its own, still refuses any the tap did not file (issue 8 #13)
 * with one plain line and no SSH version line.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Jail } from '../../lib/sandbox/jail.ts';
import { duplexPair } from '../../lib/wire/duplex-pair.ts';
import { start, type RunningSshServer } from './index.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ssh-handover-'));
let server: RunningSshServer;
const filed = new Set([50001]);

beforeAll(async () => {
  server = await start({
    host: '127.0.0.1',
    port: null,
    hostKeys: [ssh2.utils.generateKeyPairSync('ed25519').private],
    jail: await Jail.open(dir, { quotaBytes: 1024 * 1024 }),
    credentials: { user: 'student', password: 'x' },
    authorizedKeys: () => [],
    forwardPorts: () => [],
    admit: (socket) => filed.has(socket.remotePort ?? 0),
  });
});
afterAll(async () => {
  await server?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Hands one in-memory connection from `port` to the server, says hello, and reads until it closes or sends a version line. */
function exchange(port: number): Promise<string> {
  const [client, serverEnd] = duplexPair({ address: '127.0.0.1', port }, { address: '127.0.0.1', port: 22 });
  server.accept(serverEnd);
  client.write('SSH-2.0-test\r\n');
  let got = '';
  return new Promise((resolve) => {
    client.on('data', (chunk: Buffer) => {
      got += chunk.toString('latin1');
      if (got.includes('SSH-2.0-')) {
        client.destroy();
        resolve(got);
      }
    });
    client.once('close', () => resolve(got));
  });
}

describe('SSH server handed connections in process', () => {
  it('has no port of its own', () => {
    expect(server.ports.ssh).toBe(0);
  });

  it('speaks SSH on a connection the tap filed', async () => {
    expect(await exchange(50001)).toMatch(/^SSH-2\.0-ProtocolLab_1\.0/);
  });

  it('refuses one the tap did not file with one line and no version line', async () => {
    const received = await exchange(50002);
    expect(received).not.toContain('SSH-2.0-');
    expect(received).toMatch(/did not come through the lab's tap/);
  });
});
