import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ftpLab } from '../../servers/ftp/lab.ts';
import { sshLab } from '../../servers/ssh/lab.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';

let lab: TestLab;
beforeAll(async () => {
  lab = await startTestLab({ labs: [sshLab, ftpLab] });
});
afterAll(async () => {
  await lab?.stop();
});

interface Row {
  protocol: string;
  ok: boolean;
  tcpConnections: number;
  bytesOnWire: number;
  auth: string;
  error?: string;
}

describe('FTPS vs SFTP, measured', () => {
  it('runs the same upload+download over both and verifies the SSH host key against the lab', async () => {
    const { rows } = await lab.api<{ rows: Row[] }>('/api/ftp/compare', { body: { bytes: 200_000 } });
    const ftps = rows.find((r) => r.protocol.startsWith('FTPS'));
    const sftp = rows.find((r) => r.protocol === 'SFTP');
    expect(ftps?.ok).toBe(true);
    expect(sftp?.ok).toBe(true);
    // FTPS needs a control connection plus one data connection per transfer; SFTP multiplexes one.
    expect(ftps?.tcpConnections).toBeGreaterThanOrEqual(3);
    expect(sftp?.tcpConnections).toBe(1);
    expect(sftp?.bytesOnWire).toBeGreaterThan(2 * 200_000);
    expect(sftp?.auth).toMatch(/matches the lab's/);
  });

  it('compares with the lab\'s own SSH server only: a port named in the request is refused, never dialled', async () => {
    // Any page (a student's on the classroom LAN too) calls this route: it must not make the daemon dial other loopback ports.
    const dialled: net.Socket[] = [];
    const bystander = net.createServer((socket) => dialled.push(socket));
    await new Promise<void>((resolve) => bystander.listen(0, '127.0.0.1', resolve));
    try {
      const res = await fetch(`${lab.baseUrl}/api/ftp/compare`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: lab.baseUrl },
        body: JSON.stringify({ bytes: 1000, sshPort: (bystander.address() as AddressInfo).port }),
      });
      expect(res.status).toBe(400);
      expect(await res.text()).toMatch(/sshPort/);
      expect(dialled).toEqual([]);
    } finally {
      for (const socket of dialled) socket.destroy();
      await new Promise((resolve) => bystander.close(resolve));
    }
  });
});
