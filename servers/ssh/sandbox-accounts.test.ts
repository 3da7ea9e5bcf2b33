import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Jail } from '../../lib/sandbox/jail.ts';
import type { Tap, TappedConnection } from '../../lib/wire/tap.ts';
import type { SandboxLogins } from '../daemon/logins.ts';
import { admitSandbox, sandboxAccounts, sandboxOfUser, SandboxJails } from './sandbox-accounts.ts';

/** Two students (k3xm9p, w7rt2a) and the lab's own login for the default sandbox. */
const logins: SandboxLogins = {
  defaultSandbox: 'local',
  sandboxOfLogin: (user, password) => (user === 'student' && password === 'lab-pw' ? 'local' : password === `${user}-pw` && ['k3xm9p', 'w7rt2a'].includes(user) ? user : null),
  loginOf: (sandbox) => (sandbox === 'local' ? { user: 'student', password: 'lab-pw' } : { user: sandbox, password: `${sandbox}-pw` }),
  exists: (sandbox) => ['local', 'k3xm9p', 'w7rt2a'].includes(sandbox),
};

/** A tapped connection accepted unfiled (an external client) or filed (a console of that sandbox). */
function connection(filed?: string): TappedConnection {
  let unfiled = filed === undefined;
  return {
    recorder: {
      get isUnfiled() {
        return unfiled;
      },
      file: () => ((unfiled = false), true),
    },
    owner: { sandbox: filed ?? '' },
    upstreamLocalPort: 50_000,
  } as unknown as TappedConnection;
}

/** A tap holding one connection, filing it as Tap.file does. */
function tapWith(conn: TappedConnection): Tap {
  return {
    byUpstreamPort: (port: number) => (port === 50_000 ? conn : undefined),
    sandboxFull: () => false,
    file: (c: TappedConnection, sandbox: string) => {
      c.recorder.file(sandbox);
      c.owner.sandbox = sandbox;
      return true;
    },
  } as unknown as Tap;
}

function accountsFor(conn: TappedConnection) {
  const tap = tapWith(conn);
  return sandboxAccounts({
    logins,
    tap: () => tap,
    authorizedKeys: (sandbox) => [`key-of-${sandbox}`],
    jailOf: async (sandbox) => ({ root: `/jails/${sandbox}` }) as Jail,
  });
}

describe('the sandbox an SSH user name names', () => {
  it('is the default sandbox for the lab user, a student sandbox for its id, none otherwise', () => {
    expect(sandboxOfUser(logins, 'student')).toBe('local');
    expect(sandboxOfUser(logins, 'k3xm9p')).toBe('k3xm9p');
    // The default sandbox's id is not its login, and an unknown id is nobody's.
    expect(sandboxOfUser(logins, 'local')).toBeNull();
    expect(sandboxOfUser(logins, 'zzzzzz')).toBeNull();
  });
});

describe("admitLogin's rule for a login without a password", () => {
  it('files an unfiled connection in the sandbox', () => {
    const conn = connection();
    expect(admitSandbox(logins, tapWith(conn), conn, 'k3xm9p')).toEqual({ ok: true, sandbox: 'k3xm9p' });
    expect(conn.owner.sandbox).toBe('k3xm9p');
  });

  it('keeps a filed connection where it is: its own sandbox or the lab login are admitted, another student refused', () => {
    const conn = connection('k3xm9p');
    const tap = tapWith(conn);
    expect(admitSandbox(logins, tap, conn, 'k3xm9p')).toEqual({ ok: true, sandbox: 'k3xm9p' });
    expect(admitSandbox(logins, tap, conn, 'local')).toEqual({ ok: true, sandbox: 'k3xm9p' });
    expect(admitSandbox(logins, tap, conn, 'w7rt2a')).toEqual({ ok: false, reason: 'other-sandbox' });
    expect(admitSandbox(logins, tap, undefined, 'k3xm9p')).toEqual({ ok: false, reason: 'other-sandbox' });
  });
});

describe("the lab's SSH accounts", () => {
  it("opens a password login's sandbox jail and files the connection there", async () => {
    const conn = connection();
    const accounts = accountsFor(conn);
    expect(await accounts.password('k3xm9p', 'w7rt2a-pw', 50_000)).toBeNull();
    expect(conn.recorder.isUnfiled).toBe(true);
    const account = await accounts.password('k3xm9p', 'k3xm9p-pw', 50_000);
    expect(account).toEqual({ user: 'k3xm9p', jail: { root: '/jails/k3xm9p' } });
    expect(conn.owner.sandbox).toBe('k3xm9p');
  });

  it("offers a user's sandbox keys only where that login could succeed", async () => {
    expect(accountsFor(connection()).authorizedKeys('w7rt2a', 50_000)).toEqual(['key-of-w7rt2a']);
    expect(accountsFor(connection()).authorizedKeys('student', 50_000)).toEqual(['key-of-local']);
    expect(accountsFor(connection()).authorizedKeys('nobody', 50_000)).toEqual([]);
    // A console of k3xm9p: w7rt2a's keys get no PK_OK there, and its login is refused.
    const filedConsole = accountsFor(connection('k3xm9p'));
    expect(filedConsole.authorizedKeys('w7rt2a', 50_000)).toEqual([]);
    expect(await filedConsole.publickey('w7rt2a', 50_000)).toBeNull();
    expect(await filedConsole.publickey('k3xm9p', 50_000)).toEqual({ user: 'k3xm9p', jail: { root: '/jails/k3xm9p' } });
  });

  it('refuses a connection the tap does not know', async () => {
    const accounts = accountsFor(connection());
    expect(await accounts.password('k3xm9p', 'k3xm9p-pw', 1)).toBeNull();
    expect(await accounts.publickey('k3xm9p', 1)).toBeNull();
  });
});

describe('one jail per sandbox', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ssh-jails-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('opens each sandbox once, seeded, under the quota, and lets an expired one go', async () => {
    const alive = new Set(['k3xm9p', 'w7rt2a']);
    const jails = new SandboxJails({ dataDir, quotaBytes: 4096, exists: (sandbox) => alive.has(sandbox) });
    const first = await jails.jailOf('k3xm9p');
    expect(await jails.jailOf('k3xm9p')).toBe(first);
    expect(first.space.limit).toBe(4096);
    expect(fs.readdirSync(first.root).sort()).toEqual(['README.txt', 'docs']);
    expect(first.root).not.toBe((await jails.jailOf('w7rt2a')).root);
    alive.delete('k3xm9p');
    await jails.jailOf('local-2');
    expect(await jails.jailOf('k3xm9p')).not.toBe(first);
  });

  it('forget lets go of one expired sandbox at once and keeps the others', async () => {
    const jails = new SandboxJails({ dataDir, quotaBytes: 4096, exists: () => true });
    const gone = await jails.jailOf('k3xm9p');
    const kept = await jails.jailOf('w7rt2a');
    jails.forget('k3xm9p');
    expect(await jails.jailOf('w7rt2a')).toBe(kept);
    expect(await jails.jailOf('k3xm9p')).not.toBe(gone);
  });
});
