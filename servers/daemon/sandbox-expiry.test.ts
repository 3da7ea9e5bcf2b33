import { ClientAddressBook } from '../../lib/sandbox/address-book.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Bus } from '../../lib/bus/bus.ts';
import { SandboxDirectory } from '../../lib/sandbox/directory.ts';
import { sandboxRoot } from '../../lib/sandbox/jail.ts';
import { seedSandbox } from '../../lib/sandbox/seed.ts';
import { openDatabase, type Db } from '../../lib/store/db.ts';
import { migrateLab } from '../../lib/store/lab-migrations.ts';
import { LessonProgressStore } from '../../lib/store/lesson-progress.ts';
import { MailboxStore } from '../../lib/store/mailbox.ts';
import { SSH_MIGRATIONS, SshStore } from '../ssh/lab/ssh-store.ts';
import { FaultEngine } from '../../lib/faults/engine.ts';
import { spaceAccount } from '../../lib/sandbox/quota.ts';
import { StepController } from '../../lib/wire/step.ts';
import { expireIdleSandboxes, forgetSandboxMemory } from './sandbox-expiry.ts';

const DAY = 24 * 60 * 60 * 1000;
const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const undo of cleanup.splice(0)) undo();
});

function setUp(): { db: Db; dataDir: string; directory: SandboxDirectory } {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-expiry-'));
  const db = openDatabase(dataDir);
  cleanup.push(() => {
    db.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  migrateLab(db, 'ssh', SSH_MIGRATIONS);
  const directory = new SandboxDirectory(db, { defaultSandbox: 'local', defaultLogin: { user: 'student', password: 'pw' }, maxSandboxes: 10 });
  return { db, dataDir, directory };
}

describe('idle sandboxes expire', () => {
  it("forgets an idle student's login, files, mail, lesson progress and lab rows, and keeps everyone else's", async () => {
    const { db, dataDir, directory } = setUp();
    const idle = directory.create().account;
    const active = directory.create().account;
    const mailbox = new MailboxStore(db, new Bus());
    const progress = new LessonProgressStore(db);
    const ssh = new SshStore(db);
    for (const sandbox of [idle.id, active.id, 'local']) {
      await seedSandbox(sandboxRoot(dataDir, sandbox));
      await mailbox.deliver({ sandbox, conn: null, from: 'a@lab.test', to: [`b@${sandbox}.lab.test`], raw: Buffer.from('Subject: hi\r\n\r\nhello\r\n') });
      progress.start(sandbox, 'smtp-first-mail', 1);
      ssh.addAuthorizedKey(sandbox, 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl test');
    }
    // 31 days later only the active student has been seen again.
    const later = Date.now() + 31 * DAY;
    db.prepare(`UPDATE sandboxes SET last_seen = ? WHERE id = ?`).run(later, active.id);
    const reloaded = new SandboxDirectory(db, { defaultSandbox: 'local', defaultLogin: { user: 'student', password: 'pw' }, maxSandboxes: 10 });

    const forgotten: string[] = [];
    expect(await expireIdleSandboxes(db, reloaded, dataDir, 30, (sandbox) => forgotten.push(sandbox), later)).toEqual([idle.id]);
    expect(forgotten).toEqual([idle.id]);
    expect(reloaded.sandboxOfLogin(idle.id, idle.password)).toBeNull();
    expect(fs.existsSync(path.join(dataDir, 'sandboxes', idle.id))).toBe(false);
    expect(mailbox.list(idle.id)).toEqual([]);
    expect(progress.all(idle.id).size).toBe(0);
    expect(ssh.authorizedKeys(idle.id)).toEqual([]);
    for (const sandbox of [active.id, 'local']) {
      expect(fs.existsSync(path.join(sandboxRoot(dataDir, sandbox), 'README.txt'))).toBe(true);
      expect(mailbox.list(sandbox)).toHaveLength(1);
      expect(progress.all(sandbox).size).toBe(1);
      expect(ssh.authorizedKeys(sandbox)).toHaveLength(1);
    }
  });

  it('keeps every sandbox when expiry is off (0 days)', async () => {
    const { db, dataDir, directory } = setUp();
    directory.create();
    const forgotten: string[] = [];
    expect(await expireIdleSandboxes(db, directory, dataDir, 0, (sandbox) => forgotten.push(sandbox), Date.now() + 365 * DAY)).toEqual([]);
    expect(directory.list()).toHaveLength(1);
    expect(forgotten).toEqual([]);
  });
});

describe("an expired sandbox's memory", () => {
  it('is dropped from the fault engine, every lab (after its faults were disarmed), step mode and the quota; others keep theirs', async () => {
    const { dataDir } = setUp();
    const realDataDir = fs.realpathSync(dataDir);
    const order: string[] = [];
    const faults = new FaultEngine();
    faults.registerActions('soap.receiver-fault', { disarmed: (f) => void order.push(`disarmed ${f.sandbox}`) });
    const step = new StepController('smtp', () => {});
    const quota = new Map<string, ReturnType<typeof spaceAccount>>();
    for (const sandbox of ['gone', 'kept']) {
      faults.arm(sandbox, { rule: 'soap.receiver-fault' });
      step.set({ id: 'http', sandbox }, true);
      await seedSandbox(sandboxRoot(realDataDir, sandbox));
      quota.set(sandbox, spaceAccount(sandboxRoot(realDataDir, sandbox)));
    }
    const labs = [{ forgetSandbox: (sandbox: string) => void order.push(`lab forgot ${sandbox}`) }, {}];

    const addresses = new ClientAddressBook();
    addresses.saw('192.0.2.7', 'gone');
    addresses.saw('192.0.2.8', 'kept');
    forgetSandboxMemory({ faults, labs, steps: [step], addresses, realDataDir }, 'gone');
    expect([addresses.sandboxOf('192.0.2.7'), addresses.sandboxOf('192.0.2.8')]).toEqual([null, 'kept']);

    expect(order).toEqual(['disarmed gone', 'lab forgot gone']);
    expect(faults.armed('gone')).toEqual([]);
    expect(faults.armed('kept')).toHaveLength(1);
    expect(step.state({ id: 'http', sandbox: 'gone' }).enabled).toBe(false);
    expect(step.state({ id: 'http', sandbox: 'kept' }).enabled).toBe(true);
    expect(spaceAccount(sandboxRoot(realDataDir, 'gone'))).not.toBe(quota.get('gone'));
    expect(spaceAccount(sandboxRoot(realDataDir, 'kept'))).toBe(quota.get('kept'));
  });
});
