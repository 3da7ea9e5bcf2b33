import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { forgetSpaceAccount, spaceAccount } from './quota.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function root(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quota-'));
  dirs.push(dir);
  return dir;
}

describe('space accounts of expired sandboxes', () => {
  it('forgets the account of a sandbox nobody writes to, and only that one', () => {
    const [gone, kept] = [root(), root()];
    const before = spaceAccount(gone);
    const other = spaceAccount(kept);
    forgetSpaceAccount(gone);
    expect(spaceAccount(gone)).not.toBe(before);
    expect(spaceAccount(kept)).toBe(other);
  });

  it('keeps an account while a write still holds it', async () => {
    const dir = root();
    const account = spaceAccount(dir);
    const lease = await account.begin();
    forgetSpaceAccount(dir);
    expect(spaceAccount(dir)).toBe(account);
    lease.end();
    forgetSpaceAccount(dir);
    expect(spaceAccount(dir)).not.toBe(account);
  });
});
