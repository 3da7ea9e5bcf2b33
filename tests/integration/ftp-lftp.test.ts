import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestLab } from '../helpers/daemon.ts';
import { tool } from '../helpers/tools.ts';
import { startFtpTestLab, TEST_PASSWORD } from './ftp-helpers.ts';

let lab: TestLab;
let work: string;
const payload = randomBytes(150_000);

beforeAll(async () => {
  lab = await startFtpTestLab();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'lftp-'));
  fs.writeFileSync(path.join(lab.dataDir, 'sandboxes/local/files/fixture.bin'), payload);
  fs.writeFileSync(path.join(work, 'upload.bin'), payload);
});
afterAll(async () => {
  await lab?.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

/** Runs lftp (Debian package `lftp`; .ci/run installs it) with explicit FTPS forced on. */
function lftp(passive: boolean, script: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const settings = [
    'set ftp:ssl-force true',
    'set ftp:ssl-protect-data true',
    'set ssl:verify-certificate no',
    `set ftp:passive-mode ${passive ? 'on' : 'off'}`,
    'set net:max-retries 1',
    'set net:timeout 15',
  ].join('; ');
  return new Promise((resolve) => {
    execFile(
      tool('lftp'),
      ['-u', `student,${TEST_PASSWORD}`, '-p', String(lab.port('ftp')), '-e', `${settings}; ${script}; bye`, '127.0.0.1'],
      { cwd: work, timeout: 30_000 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('lftp (FTPS, explicit AUTH TLS)', () => {
  it.each([
    ['passive', true],
    ['active', false],
  ])('lists, downloads and uploads byte-exact in %s mode with PROT P', async (mode, passive) => {
    const result = await lftp(passive, `cls -1; get fixture.bin -o got-${mode}.bin; put upload.bin -o put-${mode}.bin`);
    expect(result.code, `lftp failed (is the Debian package lftp installed?): ${result.stderr}`).toBe(0);
    expect(result.stdout).toContain('fixture.bin');
    expect(fs.readFileSync(path.join(work, `got-${mode}.bin`)).equals(payload)).toBe(true);
    expect(fs.readFileSync(path.join(lab.dataDir, `sandboxes/local/files/put-${mode}.bin`)).equals(payload)).toBe(true);
  });
});
