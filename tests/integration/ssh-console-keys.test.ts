/**
 * The browser SSH terminal uses a generated key only when the student asks for it (`ssh -i`),
 * so the password prompt and "Permission denied" stay visible after a key was generated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleStatus } from '../../lib/http/ws-protocol.ts';
import type { LabConsole } from '../../servers/daemon/lab.ts';
import type { TestLab } from '../helpers/daemon.ts';
import { startSshTestLab, TEST_PASSWORD, transcript } from './ssh-helpers.ts';

let lab: TestLab;
let keyName: string;
beforeAll(async () => {
  lab = await startSshTestLab();
  const key = await lab.api<{ name: string }>('/api/ssh/keys', { body: { name: 'id_ed25519' } });
  keyName = key.name;
});
afterAll(async () => {
  await lab?.stop();
});

/** Drives the lab's SSH console like the browser does; waits on output, never on time. */
function openTerminal() {
  let output = '';
  const statuses: ConsoleStatus[] = [];
  const waiters: { re: RegExp; from: number; resolve: () => void }[] = [];
  const ssh = lab.daemon.labs.find((l) => l.protocol === 'ssh')!;
  const console: LabConsole | null = ssh.openConsole!({
    status: (s) => statuses.push(s),
    output: (text) => {
      output += text;
      for (const w of [...waiters]) if (w.re.test(output.slice(w.from))) (waiters.splice(waiters.indexOf(w), 1), w.resolve());
    },
  });
  if (!console) throw new Error('the SSH lab opened no console');
  console.open({ cols: 100, rows: 30 });
  let mark = 0;
  return {
    statuses,
    console,
    get since() {
      return output.slice(mark);
    },
    type(text: string, re: RegExp): Promise<void> {
      const from = (mark = output.length);
      const done = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${re} in:\n${output.slice(from)}`)), 10_000);
        waiters.push({ re, from, resolve: () => (clearTimeout(timer), resolve()) });
      });
      console.input(text);
      return done;
    },
  };
}

describe('browser SSH terminal and generated keys', () => {
  it('still asks for the password after a key was generated, so a wrong one is refused', async () => {
    const term = openTerminal();
    await term.type('\r', /continue connecting \(yes\/no\/\[fingerprint\]\)\? $/);
    expect(term.since).toContain(`is not offered unless you ask: ssh -i ${keyName} student@127.0.0.1 -p ${lab.port('ssh')}`);
    await term.type('yes\r', /student@127\.0\.0\.1's password: $/);
    await term.type('wrong\r', /Permission denied, please try again\.\r\nstudent@127\.0\.0\.1's password: $/);
    await term.type(`${TEST_PASSWORD}\r`, /student@lab:\/\$ $/);
    await term.type('exit\r', /closed\.\r\n\$ $/);
    term.console.close();
  });

  it('logs in with the key when asked (-i): publickey query, PK_OK, signature, no password prompt', async () => {
    const term = openTerminal();
    await term.type(`ssh -i ${keyName} -p ${lab.port('ssh')} student@127.0.0.1 whoami\r`, /student\r\n\$ $/);
    expect(term.since).not.toContain('password:');
    const open = term.statuses.find((s): s is Extract<ConsoleStatus, { state: 'open' }> => s.state === 'open');
    const messages = await transcript(lab, open?.conn ?? '');
    expect(messages.some((m) => m.view === 'endpoint' && m.annotation?.key === 'ssh.auth.publickey.signed')).toBe(true);
    expect(messages.some((m) => m.view === 'endpoint' && m.annotation?.key === 'ssh.auth.password')).toBe(false);
    term.console.close();
  });

  it('warns like OpenSSH about an -i file it does not have and falls back to the password', async () => {
    const term = openTerminal();
    await term.type(`ssh -i ~/.ssh/nosuch -p ${lab.port('ssh')} student@127.0.0.1 whoami\r`, /password: $/);
    expect(term.since).toContain('Warning: Identity file ~/.ssh/nosuch not accessible: No such file or directory.');
    await term.type(`${TEST_PASSWORD}\r`, /student\r\n\$ $/);
    term.console.close();
  });
});
