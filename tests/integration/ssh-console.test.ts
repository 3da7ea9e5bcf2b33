import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleStatus } from '../../lib/http/ws-protocol.ts';
import type { LabConsole } from '../../servers/daemon/lab.ts';
import { nextEvent } from '../helpers/bus.ts';
import type { TestLab } from '../helpers/daemon.ts';
import { startSshTestLab, TEST_PASSWORD, transcript } from './ssh-helpers.ts';

let lab: TestLab;
beforeAll(async () => {
  lab = await startSshTestLab();
});
afterAll(async () => {
  await lab?.stop();
});

/** A browser terminal stand-in: collects output and waits for text to appear (no sleeps). */
class FakeTerminal {
  output = '';
  statuses: ConsoleStatus[] = [];
  private waiters: { re: RegExp; from: number; resolve: (m: RegExpMatchArray) => void }[] = [];
  console: LabConsole;
  private mark = 0;

  constructor(size = { cols: 100, rows: 30 }) {
    this.console = this.openConsole();
    this.console.open(size);
  }

  /** What the hub does when the browser opens its console again (Start over): the old one closes, a new one writes to the same terminal. */
  reopen(size = { cols: 100, rows: 30 }): void {
    this.console.close();
    this.console = this.openConsole();
    this.console.open(size);
  }

  private openConsole(): LabConsole {
    const ssh = lab.daemon.labs.find((l) => l.protocol === 'ssh');
    if (!ssh?.openConsole) throw new Error('ssh lab has no console');
    const opened = ssh.openConsole({
      status: (s) => this.statuses.push(s),
      output: (text) => {
        this.output += text;
        for (const w of [...this.waiters]) {
          const m = this.output.slice(w.from).match(w.re);
          if (m) {
            this.waiters.splice(this.waiters.indexOf(w), 1);
            w.resolve(m);
          }
        }
      },
    });
    if (!opened) throw new Error('the SSH lab opened no console');
    return opened;
  }

  /** Types `text` and resolves once output after this point matches `re`. */
  type(text: string, re: RegExp): Promise<RegExpMatchArray> {
    const from = this.output.length;
    this.mark = from;
    const waiting = new Promise<RegExpMatchArray>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${re} in output:\n${this.output.slice(from)}`)), 10_000);
      this.waiters.push({ re, from, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
    this.console.input(text);
    return waiting;
  }

  get since(): string {
    return this.output.slice(this.mark);
  }
}

describe('browser SSH terminal', () => {
  it('folds its own text to the terminal\'s width at spaces, a help row\'s description under its command', async () => {
    const visible = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');
    const rows = (text: string) => visible(text).split('\r\n').filter((row) => row !== '' && row !== '$ ');
    const term = new FakeTerminal({ cols: 44, rows: 30 });
    const intro = rows(term.output);
    expect(intro.length).toBeGreaterThan(2);
    for (const row of intro) expect(row.length, row).toBeLessThanOrEqual(44);
    // No word cut in two: the rows hold the greeting's words in order.
    expect(intro.join(' ').split(/\s+/)).toEqual(['Protocol', 'Lab', 'SSH', 'terminal', '—', 'a', 'real', 'SSH', 'client', 'run', 'by', 'the', 'lab,', 'talking', 'through', 'the', 'tap.', 'Type', 'ssh', 'student@127.0.0.1', '-p', String(lab.port('ssh')), 'or', 'just', 'press', 'Enter.', 'Type', 'help', 'for', 'more.']);
    term.console.resize({ cols: 60, rows: 30 });
    await term.type('help\r', /clear the screen/);
    const help = rows(term.since).slice(1); // after the echoed "help"
    for (const row of help) expect(row.length, row).toBeLessThanOrEqual(60);
    expect(help).toContain('  ssh-keygen -R "[127.0.0.1]:PORT"');
    expect(help).toContain('      forget a host key (known_hosts)');
    term.console.close();
  });

  it('folds a long refusal at spaces too: ssh -L typed here says why, no word cut at the edge', async () => {
    const term = new FakeTerminal({ cols: 44, rows: 30 });
    await term.type('ssh -N -L 8025:127.0.0.1:2525 student@127.0.0.1\r', /Own client tab\)\.\r\n/);
    const refusal = term.since.split('\r\n').slice(1).filter((row) => row !== '' && !row.startsWith('$'));
    for (const row of refusal) expect(row.length, row).toBeLessThanOrEqual(44);
    expect(refusal.join(' ')).toContain('this terminal\'s ssh runs inside the lab');
    term.console.close();
  });

  it('erases what is typed at its width: a two-cell character whole, a wrapped line from the row above', async () => {
    const term = new FakeTerminal({ cols: 11, rows: 10 });
    expect(term.output).toMatch(/\$ $/);
    // "$ " and "ssh 안녕" fill ten cells; 하 takes two, does not fit in the eleventh and starts the second row.
    await term.type('ssh 안녕하\x7f\x7f', /\x1b\[K$/);
    expect(term.since).toBe('ssh 안녕하' + '\x1b[1A\r\x1b[10C\x1b[J' + '\b\b\x1b[K');
    await term.type('\x15', /\x1b\[K$/);
    expect(term.since).toBe('\b'.repeat(6) + '\x1b[K');
    term.console.close();
  });

  it('folds its greeting again when the terminal resizes before anything is typed, and only then', async () => {
    const visible = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');
    const term = new FakeTerminal({ cols: 100, rows: 30 });
    const first = term.output.length;
    // Presenter mode's larger text reaches the terminal after it opened: 100 → 44 columns.
    term.console.resize({ cols: 44, rows: 20 });
    const redrawn = term.output.slice(first);
    expect(redrawn.startsWith('\x1b[H\x1b[2J\x1b[3J'), JSON.stringify(redrawn.slice(0, 20))).toBe(true);
    const rows = visible(redrawn.slice('\x1b[H\x1b[2J\x1b[3J'.length)).split('\r\n').filter((row) => row !== '' && row !== '$ ');
    expect(rows.length).toBeGreaterThan(2);
    for (const row of rows) expect(row.length, row).toBeLessThanOrEqual(44);
    expect(rows.join(' ')).toContain('talking through the tap.');
    // A height change alone leaves the screen as it is.
    const before = term.output.length;
    term.console.resize({ cols: 44, rows: 24 });
    expect(term.output.length).toBe(before);
    // Once the student has typed, their screen is theirs: a resize redraws nothing.
    await term.type('help\r', /clear the screen/);
    const typed = term.output.length;
    term.console.resize({ cols: 80, rows: 24 });
    expect(term.output.length).toBe(typed);
    term.console.close();
  });

  it('asks about an unknown host key as OpenSSH does, stores it, and logs in with a password', async () => {
    const port = lab.port('ssh');
    const host = `[127.0.0.1]:${port}`;
    const term = new FakeTerminal();
    const [question] = await term.type('\r', /Are you sure you want to continue connecting \(yes\/no\/\[fingerprint\]\)\? $/);
    expect(term.since).toContain(`The authenticity of host '${host} (${host})' can't be established.\r\nED25519 key fingerprint is SHA256:`);
    expect(question).toBeTruthy();
    await term.type('maybe\r', /Please type 'yes', 'no' or the fingerprint: $/);
    await term.type('yes\r', /student@127\.0\.0\.1's password: $/);
    expect(term.since).toContain(`Warning: Permanently added '${host}' (ED25519) to the list of known hosts.\r\n`);
    await term.type('wrong\r', /Permission denied, please try again\.\r\nstudent@127\.0\.0\.1's password: $/);
    await term.type(`${TEST_PASSWORD}\r`, /student@lab:\/\$ $/);
    await term.type('echo hi\r', /hi\r\nstudent@lab:\/\$ $/);
    await term.type('exit\r', /Connection to 127\.0\.0\.1 closed\.\r\n\$ $/);
    // Passwords are never echoed.
    expect(term.output).not.toContain(TEST_PASSWORD);
    expect(term.output).not.toContain('wrong');

    const known = await lab.api<{ lines: { line: number; text: string }[] }>('/api/ssh/known-hosts');
    expect(known.lines).toHaveLength(1);
    expect(known.lines[0].text).toMatch(new RegExp(`^\\[127\\.0\\.0\\.1\\]:${port} ssh-ed25519 AAAA`));

    const open = term.statuses.find((s): s is Extract<ConsoleStatus, { state: 'open' }> => s.state === 'open');
    expect(open).toBeDefined();
    const messages = await transcript(lab, open?.conn ?? '');
    expect(messages.some((m) => m.view === 'endpoint' && m.text === 'USERAUTH_SUCCESS')).toBe(true);
    term.console.close();
  });

  it('connects silently to a known host and runs a remote command', async () => {
    const term = new FakeTerminal();
    await term.type(`ssh -p ${lab.port('ssh')} student@127.0.0.1 whoami\r`, /password: $/);
    expect(term.since).not.toContain('authenticity');
    await term.type(`${TEST_PASSWORD}\r`, /student\r\n\$ $/);
    term.console.close();
  });

  it('opened afresh in mid-session (a lesson\'s Start over) greets once, with nothing of the old session under it', async () => {
    const term = new FakeTerminal();
    // Asked about the host key only when this test runs first.
    const [asked] = await term.type('\r', /password: $|\(yes\/no\/\[fingerprint\]\)\? $/);
    if (asked.endsWith('? ')) await term.type('yes\r', /password: $/);
    await term.type(`${TEST_PASSWORD}\r`, /student@lab:\/\$ $/);
    const old = term.statuses.find((s): s is Extract<ConsoleStatus, { state: 'open' }> => s.state === 'open');
    expect(old).toBeDefined();
    const closed = nextEvent(lab.daemon.bus, 'connection.close', (e) => e.connection.id === old?.conn);
    const from = term.output.length;
    term.reopen();
    // The old session has ended at the tap; give its client's own close events a turn to run.
    await closed;
    await new Promise((resolve) => setImmediate(resolve));
    const after = term.output.slice(from);
    expect(after).toMatch(/^Protocol Lab SSH terminal/);
    expect(after).not.toContain('Connection to');
    expect(after.endsWith('$ '), JSON.stringify(after.slice(-60))).toBe(true);
    term.console.close();
  });

  it('shows the changed-host-key warning after a rotation, and ssh-keygen -R forgets the old key', async () => {
    const port = lab.port('ssh');
    const host = `[127.0.0.1]:${port}`;
    const rotated = await lab.api<{ keys: { type: string; fingerprint: string }[] }>('/api/ssh/faults/rotate-host-key', { method: 'POST', body: {} });
    const fingerprint = rotated.keys.find((k) => k.type === 'ssh-ed25519')?.fingerprint ?? '';
    const term = new FakeTerminal();
    await term.type('\r', /Host key verification failed\.\r\n[^$]*\$ $/);
    expect(term.since).toContain('@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @');
    // Met in any lesson later, the refusal says why: the new key is the lab's own, rotated by the lab.
    expect(term.since.replace(/\r\n/g, ' ')).toContain(`the lab server's own new key. The lab rotated its host keys`);
    expect(term.since.replace(/\r\n/g, ' ')).toContain(`ssh-keygen -R "${host}")`);
    expect(term.since).toContain(`The fingerprint for the ED25519 key sent by the remote host is\r\n${fingerprint}.`);
    expect(term.since).toContain('Offending ED25519 key in ~/.ssh/known_hosts:1');
    await term.type(`ssh-keygen -R "${host}"\r`, /known_hosts updated\.\r\n[^$]*\$ $/);
    expect(term.since).toContain(`# Host ${host} found: line 1`);
    await term.type('\r', /\(yes\/no\/\[fingerprint\]\)\? $/);
    expect(term.since).toContain(fingerprint);
    await term.type('no\r', /Host key verification failed\.\r\n\$ $/);
    expect((await lab.api<{ lines: unknown[] }>('/api/ssh/known-hosts')).lines).toHaveLength(0);
    // Answering with the fingerprint itself also accepts the key.
    await term.type('\r', /\? $/);
    await term.type(`${fingerprint}\r`, /password: $/);
    term.console.close();
  });

  it('folds the host-key question and the changed-key banner at spaces: the fingerprint stays whole on its row where the row can hold it', async () => {
    const port = lab.port('ssh');
    const host = `[127.0.0.1]:${port}`;
    const visibleRows = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '').split('\r\n');
    const fingerprintOf = async () => (await lab.api<{ keys: { type: string; fingerprint: string }[] }>('/api/ssh/host-keys')).keys.find((k) => k.type === 'ssh-ed25519')?.fingerprint ?? '';
    await lab.api('/api/ssh/known-hosts/remove', { body: { host } });
    // 41 columns: the desk's terminal beside an open lesson in the walk; 52: one a fingerprint and its full stop fit in.
    for (const cols of [41, 52]) {
      const term = new FakeTerminal({ cols, rows: 30 });
      await term.type('\r', /\? $/);
      const asked = visibleRows(term.since);
      // The question's own line is xterm's to reflow (the answer follows it); the lines above are the lab's fold.
      for (const row of asked.slice(0, -1)) expect(row.length, row).toBeLessThanOrEqual(cols);
      expect(asked).toContain('ED25519 key fingerprint is');
      if (cols >= 51) expect(asked).toContain(`${await fingerprintOf()}.`);
      // The answer is typed after the question's last row, a space after it.
      expect(asked.at(-1)).toMatch(/\? $/);
      await term.type('yes\r', /password: $/);
      term.console.close();
      await lab.api('/api/ssh/known-hosts/remove', { body: { host } });
    }
    // The rotation below needs a known key to differ from.
    const known = new FakeTerminal();
    await known.type('\r', /\? $/);
    await known.type('yes\r', /password: $/);
    known.console.close();
    await lab.api('/api/ssh/faults/rotate-host-key', { method: 'POST', body: {} });
    const fingerprint = await fingerprintOf();
    for (const cols of [41, 52]) {
      const term = new FakeTerminal({ cols, rows: 30 });
      await term.type('\r', /Host key verification failed\.\r\n[^$]*\$ $/);
      const banner = visibleRows(term.since);
      for (const row of banner) expect(row.length, row).toBeLessThanOrEqual(cols);
      // Words of the warning stay whole: no "IDENTIFICATION" split across rows as xterm's own wrap did.
      expect(banner.join(' ')).toMatch(/@\s+WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!\s+@/);
      expect(banner.join(' ')).toContain('IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!');
      if (cols >= 51) expect(banner).toContain(`${fingerprint}.`);
      term.console.close();
    }
    await lab.api('/api/ssh/known-hosts/remove', { body: { host } });
  });

  it('reports a negotiation failure in OpenSSH words while algorithms are restricted', async () => {
    const port = lab.port('ssh');
    await lab.api('/api/ssh/faults/restrict-algorithms', { body: { enabled: true } });
    try {
      const term = new FakeTerminal();
      await term.type('\r', /\$ $/);
      expect(term.since).toContain(
        `Unable to negotiate with 127.0.0.1 port ${port}: no matching key exchange method found. Their offer: diffie-hellman-group14-sha1,kex-strict-s-v00@openssh.com`,
      );
      term.console.close();
    } finally {
      await lab.api('/api/ssh/faults/restrict-algorithms', { body: { enabled: false } });
    }
  });

  it('never contacts other hosts or ports', async () => {
    const term = new FakeTerminal();
    await term.type('ssh student@10.0.0.1\r', /ssh: connect to host 10\.0\.0\.1 port 22: Connection refused\r\n\$ $/);
    await term.type('ssh -p 1 student@127.0.0.1\r', /port 1: Connection refused\r\n\$ $/);
    await term.type('ssh student@example.com\r', /Could not resolve hostname example\.com: Name or service not known\r\n\$ $/);
    term.console.close();
  });

  it('takes LOCALHOST as localhost: host names are case-insensitive, known_hosts names it in lower case', async () => {
    const port = lab.port('ssh');
    const term = new FakeTerminal();
    await term.type(`ssh -p ${port} student@LOCALHOST whoami\r`, /\(yes\/no\/\[fingerprint\]\)\? $/);
    expect(term.since).toContain(`The authenticity of host '[localhost]:${port}`);
    await term.type('yes\r', /student@localhost's password: $/);
    await term.type(`${TEST_PASSWORD}\r`, /student\r\n\$ $/);
    term.console.close();
  });
});
