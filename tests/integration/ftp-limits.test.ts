import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ftpLab } from '../../servers/ftp/lab.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';
import { curl, TEST_PASSWORD } from './ftp-helpers.ts';

let lab: TestLab;
let work: string;
beforeAll(async () => {
  // A small sandbox quota so the test moves little data.
  lab = await startTestLab({ labs: [ftpLab], config: { sandboxQuotaBytes: 256 * 1024 } });
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'ftp-limits-'));
});
afterAll(async () => {
  await lab?.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

const url = (name: string) => `ftp://student:${TEST_PASSWORD}@127.0.0.1:${lab.port('ftp')}/${name}`;

describe('FTP upload limits', () => {
  it('answers 552 (exceeded storage allocation) when an upload passes the sandbox quota, and keeps no partial file', async () => {
    const file = path.join(work, 'big.bin');
    fs.writeFileSync(file, Buffer.alloc(300 * 1024, 1));
    const result = await curl(['-T', file, url('big.bin')]);
    // curl turns a 552 reply into its error 70, CURLE_REMOTE_DISK_FULL.
    expect(result.code, result.stderr).toBe(70);
    expect(result.stderr).toMatch(/Exceeded storage allocation/);
    expect(fs.existsSync(path.join(lab.dataDir, 'sandboxes/local/files/big.bin'))).toBe(false);
  });
});
