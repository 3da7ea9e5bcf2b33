/** Password logins with ssh2's client on loopback, each ended once ready (bench:ssh's handshakes, bench:ssh-layers' stages, bench:store's recording). */
import ssh2 from 'ssh2';
import { TEST_PASSWORD } from '../tests/helpers/daemon.ts';

export function sshLogin(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    // Like OpenSSH (TCP_NODELAY): without it the client's Nagle delay, not the lab, dominates.
    client.once('connect', () => client.setNoDelay(true));
    client.once('ready', () => {
      client.end();
      resolve();
    });
    client.once('error', reject);
    client.connect({ host: '127.0.0.1', port, username: 'student', password: TEST_PASSWORD, hostVerifier: () => true });
  });
}

/** `count` logins, `concurrency` at a time. */
export async function sshLogins(port: number, count: number, concurrency: number): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next++ < count) await sshLogin(port);
  }));
}
