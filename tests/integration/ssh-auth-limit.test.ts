/**
 * Issue 8 #15 (SSH part): the server already stops guessing like OpenSSH's MaxAuthTries 6, and
 * compares passwords in constant time (lib/auth/same-secret.ts). This keeps the limit from drifting.
 */
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestLab } from '../helpers/daemon.ts';
import { startSshTestLab, tapSocket, transcript, waitForClose } from './ssh-helpers.ts';

let lab: TestLab;
beforeAll(async () => {
  lab = await startSshTestLab();
});
afterAll(async () => {
  await lab?.stop();
});

describe('password guessing', () => {
  it('disconnects after the sixth wrong password, with PROTOCOL_ERROR as OpenSSH does', async () => {
    const sock = await tapSocket(lab);
    const closed = waitForClose(lab, sock.localPort ?? 0);
    const client = new ssh2.Client();
    let tries = 0;
    const ended = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.on('error', () => {});
    client.connect({
      sock,
      username: 'student',
      hostVerifier: () => true,
      authHandler: (_methods, _partial, next) => {
        tries++;
        // Keep guessing past the limit: the server, not the client, must stop it.
        next({ type: 'password', username: 'student', password: `guess-${tries}` } as ssh2.AnyAuthMethod);
      },
    });
    await ended;
    const info = await closed;
    const messages = await transcript(lab, info.id);
    const failures = messages.filter((m) => m.view === 'endpoint' && m.text.startsWith('USERAUTH_FAILURE'));
    expect(failures).toHaveLength(6);
    expect(messages.find((m) => m.annotation?.key === 'ssh.auth.limit')?.text).toContain('reason 2');
    expect(tries).toBeLessThanOrEqual(7);
  });
});
