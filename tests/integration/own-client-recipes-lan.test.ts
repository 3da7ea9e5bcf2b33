/**
 * The own-client recipes a student on a classroom LAN copies, run as printed: the lab is bound to a
 * second loopback address (127.0.0.2, never a real network), the student's browser reaches it there
 * and opens a sandbox, and the pages build their recipes from GET /api/lab's host and login. Nothing
 * listens on 127.0.0.1, so a recipe that still named it would fail here.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ftpRecipes } from '../../components/ftp/recipes.ts';
import { smtpRecipes } from '../../components/smtp/recipes.ts';
import { sshRecipes } from '../../components/ssh/recipes.ts';
import type { SshInfo } from '../../components/ssh/api.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';
import { lanRequest } from '../helpers/lan-request.ts';
import { tool } from '../helpers/tools.ts';

const LAN = '127.0.0.2';
let lab: TestLab;
let web: number;
let work: string;
let cookie: string;
let info: { host: string; user: string; password: string; mailDomain: string; shared: boolean; ssh: SshInfo };

/** A request from the student's machine: sent from 127.0.0.2, naming the lab by its LAN address. */
const fromLan = (method: string, pathname: string, body?: unknown) => lanRequest(LAN, web, method, pathname, cookie ? { cookie } : {}, body);

beforeAll(async () => {
  lab = await startTestLab({ config: { host: LAN } });
  web = Number(new URL(lab.baseUrl).port);
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'recipes-lan-'));
  fs.writeFileSync(path.join(work, 'notes.txt'), 'notes from a LAN recipe\n');
  const opened = await fromLan('POST', '/api/sandboxes', {});
  expect(opened.status).toBe(200);
  cookie = (opened.setCookie ?? '').split(';')[0];
  const answer = await fromLan('GET', '/api/lab');
  expect(answer.status).toBe(200);
  info = JSON.parse(answer.body) as typeof info;
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

/** A shell recipe, as pasted into bash, stopping at the first failing command. */
function bash(code: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('/bin/bash', ['-e', '-o', 'pipefail', '-c', code], { cwd: work, timeout: 30_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

describe("a LAN student's recipes name the address its browser reached", () => {
  it('GET /api/lab answers that address and the student’s own login', () => {
    expect(info).toMatchObject({ host: LAN, shared: false, mailDomain: `${info.user}.lab.test` });
  });

  it('SMTP curl: both mails (plain, and STARTTLS with the student’s AUTH login) reach the student’s mailbox', async () => {
    tool('curl');
    const code = recipe(smtpRecipes(lab.port('smtp'), info.password, info.user, info.mailDomain, info.host), 'curl');
    expect(code).toContain(`smtp://${LAN}:${lab.port('smtp')}`);
    const result = await bash(code);
    expect(result.code, result.stderr).toBe(0);
    const box = await fromLan('GET', '/api/mailbox');
    const subjects = (JSON.parse(box.body) as { messages: { subject: string }[] }).messages.map((m) => m.subject);
    expect(subjects.filter((s) => s === 'Hello from curl')).toHaveLength(2);
  });

  it('FTP curl: list, upload, download, FTPS and active mode in the student’s files', async () => {
    tool('curl');
    const code = recipe(ftpRecipes(lab.port('ftp'), info.user, info.password, null, info.host), 'curl');
    expect(code).toContain(`@${LAN}:${lab.port('ftp')}/`);
    const result = await bash(code);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('notes from a LAN recipe');
  });

  it('SSH Fingerprints: ssh-keyscan at that address prints the host keys the page lists', async () => {
    tool('ssh');
    const code = recipe(sshRecipes(info.ssh, lab.port('ssh'), info.password, lab.port('smtp'), info.user, info.host), 'Fingerprints').split('\n\n')[0];
    expect(code).toContain(` ${LAN} `);
    const result = await bash(code);
    expect(result.code, result.stderr).toBe(0);
    expect(info.ssh.hostKeys.length).toBeGreaterThan(0);
    for (const key of info.ssh.hostKeys) expect(result.stdout).toContain(key.fingerprint);
  });
});
