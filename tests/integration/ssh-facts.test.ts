/**
 * Facts the transcript teaches, checked against real clients: what the eavesdropper's view says
 * about the negotiated cipher, the SSH-1 identification, and the contents of EXT_INFO.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabMessage } from '../../lib/wire/event.ts';
import type { TestLab } from '../helpers/daemon.ts';
import { tool } from '../helpers/tools.ts';
import { connectClient, endClient, startSshTestLab, nextClientConnection, transcript, waitForClose } from './ssh-helpers.ts';

const run = promisify(execFile);

let lab: TestLab;
let dir: string;
beforeAll(async () => {
  lab = await startSshTestLab();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ssh-facts-'));
});
afterAll(async () => {
  await lab?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs OpenSSH (no key, BatchMode: it stops after "none") and returns the lab's transcript. */
async function openssh(extra: string[]): Promise<LabMessage[]> {
  const ssh = tool('ssh');
  const closed = nextClientConnection(lab);
  await run(ssh, ['-F', '/dev/null', '-o', `UserKnownHostsFile=${path.join(dir, 'known_hosts')}`, '-o', 'StrictHostKeyChecking=accept-new', '-o', 'BatchMode=yes', ...extra, '-p', String(lab.port('ssh')), 'student@127.0.0.1', 'true'], { timeout: 20_000 }).catch(() => undefined);
  return transcript(lab, (await closed).id);
}

const firstCiphertext = (messages: LabMessage[], dir: 'client' | 'server') => messages.find((m) => m.view === 'wire' && m.kind === 'encrypted' && m.dir === dir);

describe('the ciphertext note names what the negotiated cipher hides', () => {
  it('OpenSSH with aes128-ctr + hmac-sha2-256: the whole packet, length included, is encrypted', async () => {
    const messages = await openssh(['-c', 'aes128-ctr', '-m', 'hmac-sha2-256']);
    const first = firstCiphertext(messages, 'client');
    expect(first?.annotation?.key).toBe('ssh.encrypted.whole');
    expect(first?.annotation?.explain).not.toMatch(/chacha/i);
    expect(first?.text).toContain('aes128-ctr + hmac-sha2-256');
  });

  it('OpenSSH with aes128-ctr + an -etm MAC: the length stays in clear', async () => {
    const messages = await openssh(['-c', 'aes128-ctr', '-m', 'hmac-sha2-256-etm@openssh.com']);
    expect(firstCiphertext(messages, 'client')?.annotation?.key).toBe('ssh.encrypted.etm');
    expect(firstCiphertext(messages, 'client')?.text).toMatch(/lengths \d/);
  });

  it('ssh2 with aes256-ctr + hmac-sha2-512 and with AES-GCM', async () => {
    for (const [cipher, mac, key] of [
      ['aes256-ctr', 'hmac-sha2-512', 'ssh.encrypted.whole'],
      ['aes128-gcm@openssh.com', 'hmac-sha2-256', 'ssh.encrypted.gcm'],
    ] as const) {
      const { client, localPort } = await connectClient(lab, { algorithms: { cipher: [cipher], hmac: [mac] } });
      const info = await endClient(lab, client, localPort);
      const first = firstCiphertext(await transcript(lab, info.id), 'server');
      expect(first?.annotation?.key, cipher).toBe(key);
      expect(first?.text).toContain(cipher);
    }
  });
});

describe('identification lines', () => {
  it('calls SSH-1.5 an SSH-1 identification (RFC 4253 §5), not "not SSH"', async () => {
    const info = await new Promise<Awaited<ReturnType<typeof waitForClose>>>((resolve, reject) => {
      const socket = net.connect(lab.port('ssh'), '127.0.0.1', () => {
        void waitForClose(lab, socket.localPort ?? 0).then(resolve, reject);
        socket.write('SSH-1.5-OldClient_1.2.27\n');
      });
      socket.on('error', () => {});
      socket.on('data', () => {});
    });
    const client = (await transcript(lab, info.id)).find((m) => m.view === 'wire' && m.dir === 'client' && m.kind === 'version');
    expect(client?.annotation).toMatchObject({ key: 'ssh.version.ssh1', title: 'SSH-1 identification', level: 'error' });
  });
});

describe('EXT_INFO', () => {
  it('shows the server-sig-algs the server actually sent (RFC 8308 §3.1)', async () => {
    const { client, localPort } = await connectClient(lab);
    const info = await endClient(lab, client, localPort);
    const messages = await transcript(lab, info.id);
    const ext = messages.filter((m) => m.view === 'endpoint' && m.annotation?.key === 'ssh.msg.EXT_INFO');
    expect(ext).toHaveLength(1);
    expect(ext[0].text).toMatch(/^EXT_INFO 1 extension: server-sig-algs/);
    const algs = ext[0].fields?.find((f) => f.name === 'server-sig-algs');
    expect(algs?.value.split(',')).toEqual(expect.arrayContaining(['ssh-ed25519', 'ecdsa-sha2-nistp256', 'rsa-sha2-256']));
    expect(ext[0].annotation?.explain).toMatch(/every public key algorithm/);
    // It comes right after the handshake, before the client's SERVICE_REQUEST.
    const service = messages.find((m) => m.view === 'endpoint' && m.text.startsWith('SERVICE_REQUEST'));
    expect(ext[0].seq).toBeLessThan(service!.seq);
  });
});

describe('the key exchange messages are named by the method chosen', () => {
  it('classic Diffie-Hellman (the "restrict algorithms" fault): KEXDH_INIT e and KEXDH_REPLY f (RFC 4253 §8), on the wire and at the server', async () => {
    await lab.api('/api/ssh/faults/restrict-algorithms', { body: { enabled: true } });
    try {
      const { client, localPort } = await connectClient(lab, { algorithms: { kex: ['diffie-hellman-group14-sha1'] } });
      const messages = await transcript(lab, (await endClient(lab, client, localPort)).id);
      for (const view of ['wire', 'endpoint'] as const) {
        const init = messages.find((m) => m.view === view && m.dir === 'client' && m.annotation?.key === 'ssh.msg.KEXDH_INIT');
        const reply = messages.find((m) => m.view === view && m.dir === 'server' && m.annotation?.key === 'ssh.msg.KEXDH_REPLY');
        expect(init?.text, view).toMatch(/^KEXDH_INIT e /);
        expect(reply?.text, view).toMatch(/^KEXDH_REPLY host key .*\bf\b/);
        expect([init?.annotation?.ref, reply?.annotation?.ref]).toEqual(['RFC 4253 §8', 'RFC 4253 §8']);
      }
      expect(messages.filter((m) => m.text.includes('ECDH') || m.text.includes('Q_C') || m.text.includes('Q_S')).map((m) => m.text)).toEqual([]);
    } finally {
      await lab.api('/api/ssh/faults/restrict-algorithms', { body: { enabled: false } });
    }
  });

  it('curve25519 (the default): KEX_ECDH_INIT Q_C and KEX_ECDH_REPLY Q_S (RFC 5656 §4; RFC 8731 §3)', async () => {
    const { client, localPort } = await connectClient(lab);
    const messages = await transcript(lab, (await endClient(lab, client, localPort)).id);
    for (const view of ['wire', 'endpoint'] as const) {
      expect(messages.find((m) => m.view === view && m.annotation?.key === 'ssh.msg.KEX_ECDH_INIT')?.text, view).toMatch(/^KEX_ECDH_INIT Q_C /);
      expect(messages.find((m) => m.view === view && m.annotation?.key === 'ssh.msg.KEX_ECDH_REPLY')?.text, view).toMatch(/Q_S/);
    }
    expect(messages.some((m) => m.text.startsWith('KEXDH_'))).toBe(false);
  });
});

describe('the Failures tab names the server\'s offer as the server sends it', () => {
  it('its kex list is the KEXINIT kex_algorithms on the wire, in the same order, restricted or not', async () => {
    const wireOffer = async () => {
      const { client, localPort } = await connectClient(lab, { algorithms: { kex: ['curve25519-sha256', 'diffie-hellman-group14-sha1'] } });
      const messages = await transcript(lab, (await endClient(lab, client, localPort)).id);
      const kexinit = messages.find((m) => m.view === 'wire' && m.dir === 'server' && m.annotation?.key === 'ssh.msg.KEXINIT');
      return kexinit?.fields?.find((f) => f.name === 'kex_algorithms')?.value;
    };
    const shown = async () => (await lab.api<{ kexOffer: string[] }>('/api/ssh/faults')).kexOffer.join(',');
    // It listed curve25519-sha256 before curve25519-sha256@libssh.org; ssh2 sends them the other way round.
    expect(await shown()).toBe(await wireOffer());
    await lab.api('/api/ssh/faults/restrict-algorithms', { body: { enabled: true } });
    try {
      expect(await shown()).toBe(await wireOffer());
    } finally {
      await lab.api('/api/ssh/faults/restrict-algorithms', { body: { enabled: false } });
    }
  });
});
