/** One password login with ssh2's client on loopback, ended once ready (bench:ssh's handshakes, bench:store's recording). */
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
