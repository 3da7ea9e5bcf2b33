/**
 * The "use your own client" recipes the UI shows (components/<lab>/recipes.ts), run as shown, with
 * the test daemon's real ports and password filled in as the UI fills them, against the real servers.
 * Only recipes whose clients CI installs (curl, python3, lftp, OpenSSH) and that run without a prompt.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ftpRecipes } from '../../components/ftp/recipes.ts';
import { smtpRecipes } from '../../components/smtp/recipes.ts';
import { MAIL_RECIPES, soapRecipes } from '../../components/soap/recipes.ts';
import { nextEvent } from '../helpers/bus.ts';
import { sshRecipes } from '../../components/ssh/recipes.ts';
import type { SshInfo } from '../../components/ssh/api.ts';
import { startTestLab, TEST_PASSWORD, type TestLab } from '../helpers/daemon.ts';
import { tool } from '../helpers/tools.ts';

let lab: TestLab;
let work: string;
beforeAll(async () => {
  lab = await startTestLab();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'recipes-'));
  fs.writeFileSync(path.join(work, 'notes.txt'), 'notes from a recipe\n');
});
afterAll(async () => {
  await lab?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

/** The code of the recipe called `name`; fails if the UI no longer shows it. */
function recipe(recipes: { name: string; code: string }[], name: string): string {
  const found = recipes.find((r) => r.name === name);
  if (!found) throw new Error(`no recipe "${name}" (have: ${recipes.map((r) => r.name).join(', ')})`);
  return found.code;
}

/** Runs a program with `args` in the work dir; resolves with its output and exit code. */
function run(file: string, args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(file, args, { cwd: work, timeout: 30_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(input ?? '');
  });
}

/** A shell recipe, as pasted into bash, stopping at the first failing command. */
const bash = (code: string, input?: string) => run('/bin/bash', ['-e', '-o', 'pipefail', '-c', code], input);
const python = (code: string) => run(tool('python3'), ['-c', code]);

const expectOk = (result: { code: number; stderr: string }) => expect(result.code, result.stderr).toBe(0);

describe('SMTP recipes', () => {
  const recipes = () => smtpRecipes(lab.port('smtp'), TEST_PASSWORD);

  it('curl: a plain mail and one over STARTTLS with AUTH reach the mailbox', async () => {
    tool('curl');
    expectOk(await bash(recipe(recipes(), 'curl')));
    const { messages } = await lab.api<{ messages: { subject: string }[] }>('/api/mailbox');
    expect(messages.filter((m) => m.subject === 'Hello from curl').length).toBeGreaterThanOrEqual(2);
  });

  it('swaks: a plain mail, then one over STARTTLS with AUTH PLAIN', async () => {
    tool('swaks');
    const result = await bash(recipe(recipes(), 'swaks'));
    expectOk(result);
    // Both runs' dialogues: the second went TLS and was authenticated (swaks prints what it sends and reads).
    expect(result.stdout).toMatch(/<~ +235 /);
    expect(result.stdout.match(/<[~-] +250 2\.6\.0 OK: message queued/g)?.length).toBe(2);
    const { messages } = await lab.api<{ messages: { subject: string }[] }>('/api/mailbox');
    expect(messages.map((m) => m.subject)).toContain('Hello from swaks');
  });

  it('Thunderbird: the certificate fingerprint it names is the one the server presents after STARTTLS', async () => {
    tool('openssl');
    const { tls } = await lab.api<{ tls: { fingerprint: string } }>('/api/lab');
    const thunderbird = recipe(smtpRecipes(lab.port('smtp'), TEST_PASSWORD, 'student', 'lab.test', undefined, tls.fingerprint), 'Thunderbird');
    expect(thunderbird).toContain(tls.fingerprint);
    const check = /^  (openssl s_client .*)$/m.exec(thunderbird)?.[1] ?? '';
    const result = await bash(check);
    expectOk(result);
    expect(result.stdout.trim().split('=').at(-1)).toBe(tls.fingerprint);
  });

  it('Python smtplib: STARTTLS, login and the mail', async () => {
    const result = await python(recipe(recipes(), 'Python'));
    expectOk(result);
    expect(result.stderr).toMatch(/reply: b'235/); // set_debuglevel(1): AUTH accepted
    const { messages } = await lab.api<{ messages: { subject: string }[] }>('/api/mailbox');
    expect(messages.map((m) => m.subject)).toContain('Hello from Python');
  });
});

describe('FTP recipes', () => {
  const recipes = () => ftpRecipes(lab.port('ftp'), 'student', TEST_PASSWORD, null);

  it('curl: list, upload, download, FTPS and active mode', async () => {
    tool('curl');
    const result = await bash(recipe(recipes(), 'curl'));
    expectOk(result);
    expect(result.stdout).toContain('notes from a recipe');
  });

  it('lftp: the one-line FTPS command', async () => {
    const line = recipe(recipes(), 'lftp')
      .split('\n# FTPS, passive, self-signed certificate:\n')[1]
      ?.split('\n\n')[0];
    expect(line).toMatch(/^lftp -e/);
    const result = await bash(line.replace(/^lftp /, `${tool('lftp')} `));
    expectOk(result);
    expect(result.stdout).toContain('notes.txt');
  });

  it('Python ftplib: plain passive and active LIST, then FTPS with PROT P', async () => {
    const result = await python(recipe(recipes(), 'Python ftplib'));
    expectOk(result);
    expect(result.stdout).toContain('notes.txt');
    // Three listings: passive, active, and FTPS over the encrypted data channel.
    expect(result.stdout.split('notes.txt').length - 1).toBeGreaterThanOrEqual(3);
  });
});

describe('SOAP recipes', () => {
  const recipes = () => {
    const endpoint = `http://127.0.0.1:${lab.port('soap')}/soap/calendar`;
    return soapRecipes({ endpoint, wsdl: `${endpoint}?wsdl`, smtpPort: lab.port('smtp'), web: lab.baseUrl, ns: 'http://lab.test/soap/calendar' });
  };

  for (const name of ['curl · SOAP 1.1', 'curl · SOAP 1.2']) {
    it(`${name}: 200 with January 2003`, async () => {
      tool('curl');
      const result = await bash(recipe(recipes(), name));
      expectOk(result);
      expect(result.stdout).toMatch(/^HTTP\/1\.1 200 /);
      expect(result.stdout).toContain('January 2003');
    });
  }

  it('Python urllib: 200 and the decoded calendar', async () => {
    const result = await python(recipe(recipes(), 'Python urllib'));
    expectOk(result);
    expect(result.stdout).toMatch(/^200 application\/soap\+xml/);
    expect(result.stdout).toContain('January 2003');
  });

  it('swaks (mail): the mail carries the recipe\'s Message-ID alone, and the answer comes back In-Reply-To it', async () => {
    tool('swaks');
    const id = '<my-request-1@lab.test>';
    // swaks replaces its own Message-Id header only when the recipe spells it as swaks does; else the mail has two.
    const sent = nextEvent(lab.daemon.bus, 'mail', (e) => e.mail.to.includes('calendar@lab.test') && e.mail.subject === 'getMonth 2003-1');
    const answer = nextEvent(lab.daemon.bus, 'mail', (e) => e.mail.inReplyTo === id);
    const result = await bash(recipe(recipes(), MAIL_RECIPES.swaks));
    expectOk(result);
    expect((await sent).mail.messageId).toBe(id);
    expect(result.stdout.match(/^ -> Message-I[dD]: /gm)).toHaveLength(1);
    expect((await answer).mail.inReplyTo).toBe(id);
  });

  it('Python smtplib (mail): the answer comes back with In-Reply-To = the request Message-ID', async () => {
    const result = await python(recipe(recipes(), 'Python smtplib (mail)'));
    expectOk(result);
    const id = /^sent (<[^>]+>)/m.exec(result.stdout)?.[1];
    expect(id).toBeDefined();
    expect(result.stdout).toContain(`In-Reply-To: ${id}`);
  });
});

describe('SSH recipes', () => {
  const info = async () => (await lab.api<{ ssh: SshInfo }>('/api/lab')).ssh;

  it('Fingerprints: ssh-keyscan | ssh-keygen -lf - prints the host keys the page lists', async () => {
    tool('ssh');
    const ssh = await info();
    const code = recipe(sshRecipes(ssh, lab.port('ssh'), TEST_PASSWORD, lab.port('smtp')), 'Fingerprints').split('\n\n')[0];
    const result = await bash(code);
    expectOk(result);
    expect(ssh.hostKeys.length).toBeGreaterThan(0);
    for (const key of ssh.hostKeys) expect(result.stdout).toContain(key.fingerprint);
  });

  it('ssh -i (your key): logs in with a key the lab generated', async () => {
    tool('ssh');
    const ssh = await info();
    const key = await lab.api<{ privateKeyUrl: string }>('/api/ssh/keys', { body: { name: 'recipe-key' } });
    const keyFile = path.join(work, 'id_ed25519');
    fs.writeFileSync(keyFile, await lab.api<string>(key.privateKeyUrl), { mode: 0o644 });
    // The one change to what the page shows: no prompt for the unknown host key in a test.
    const config = path.join(work, 'ssh_config');
    fs.writeFileSync(config, `UserKnownHostsFile ${path.join(work, 'known_hosts')}\nStrictHostKeyChecking accept-new\nBatchMode yes\n`);
    const code = recipe(sshRecipes(ssh, lab.port('ssh'), TEST_PASSWORD, lab.port('smtp')), 'ssh -i (your key)')
      .replaceAll('~/Downloads/id_ed25519', keyFile)
      .replace(/^ssh -i /m, `ssh -F ${config} -i `);
    const result = await bash(code, 'ls\nexit\n');
    expectOk(result);
    expect(result.stdout).toContain('notes.txt'); // the sandbox the FTP recipes uploaded to
  });
});
