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
});
