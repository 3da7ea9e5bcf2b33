import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { desks, joinClass, teacherWithClass } from './classroom';
import { tool } from '../helpers/tools';

const LISTINGS = 120;

const newPage = desks();

/**
 * lftp (Debian package `lftp`) reading its commands from a pipe, so the test says when the session goes on.
 * It logs in with the lab's own login: the teacher's sandbox, which the class follows (a student's login
 * would land in that student's sandbox). Plain FTP, and no listing cache, so each `cls` is a data connection.
 */
class Lftp {
  private readonly child: ChildProcessWithoutNullStreams;
  private output = '';
  private readonly exited: Promise<number | null>;

  constructor(port: number, password: string) {
    this.child = spawn(tool('lftp'), [], { stdio: 'pipe' });
    this.child.stdout.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.child.stderr.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.on('exit', resolve));
    this.send('set ftp:ssl-allow no; set cache:enable no; set ftp:passive-mode on; set net:max-retries 1; set net:timeout 15');
    this.send(`open -u student,${password} -p ${port} 127.0.0.1`);
  }

  send(...lines: string[]): void {
    this.child.stdin.write(lines.map((l) => `${l}\n`).join(''));
  }

  /** Runs `lines`, then waits until lftp has done them all (it echoes a marker after them). */
  async run(lines: string[], marker: string): Promise<void> {
    this.send(...lines, `echo ${marker}`);
    await expect.poll(() => this.output, { timeout: 120_000, message: 'lftp ran every command' }).toContain(marker);
    expect(this.output).not.toMatch(/failed|Fatal error/);
  }

  async bye(): Promise<number | null> {
    this.send('bye');
    return this.exited;
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill();
  }
}

/** The teacher creates a class named `name`; a student, Ana, joins it. Answers Ana's page. */
async function studentOfNewClass(browser: Browser, name: string): Promise<Page> {
  const { code } = await teacherWithClass(newPage, browser, name);
  const ana = await newPage(browser);
  await joinClass(ana, code, 'Ana', name);
  return ana;
}

test("a student following the teacher keeps the FTP session's control connection through 120 listings (one data connection each) and a re-follow, and is told the page keeps its newest 100", async ({ browser, request }) => {
  test.setTimeout(240_000);
  const ana = await studentOfNewClass(browser, 'Mirror');
  await ana.getByTestId('follow-toggle').click();
  await expect(ana.getByTestId('follow-status')).toHaveText('following: read-only');

  const lftp = new Lftp(Number(process.env.FTP_PORT), process.env.LAB_PASSWORD ?? '');
  try {
    // A script listing a directory again and again: one control connection, 120 data connections.
    await lftp.run(['quote SYST', ...Array.from({ length: LISTINGS }, () => 'cls -1')], 'listed-all');
    const { connections } = (await (await request.get('/api/connections?protocol=ftp&limit=500')).json()) as {
      connections: { id: string; parent?: string; label?: string; endedAt: number | null }[];
    };
    const control = connections.find((c) => !c.parent && !c.label && c.endedAt === null);
    expect(control, 'the lftp session is open in the teacher’s sandbox').toBeDefined();
    const controlId = control?.id ?? '';
    expect(connections.filter((c) => c.parent === controlId)).toHaveLength(LISTINGS);

    const followed = ana.getByTestId('follow-view').getByTestId('transcript');
    const dropped = ana.getByTestId('follow-dropped-lanes');
    // The page draws the burst as it reads it (slowly on a busy machine): wait for it to catch up, not for a guessed time.
    await expect(dropped).toContainText(`${LISTINGS - 100} of FTP · client`, { timeout: 90_000 });
    await expect(followed).toContainText('USER student');

    // The student stops following and follows again: the page reads the still-open control connection again
    // (a read that used to trim the FTP feed to its newest 100 connections and drop the control one).
    await ana.getByTestId('follow-toggle').click();
    await expect(ana.getByTestId('follow-status')).toHaveText('not following');
    const reread = ana.waitForResponse((res) => new URL(res.url()).pathname === `/api/class/connections/${controlId}`);
    await ana.getByTestId('follow-toggle').click();
    await expect(ana.getByTestId('follow-status')).toHaveText('following: read-only');
    expect((await reread).status()).toBe(200);

    // The teacher's session goes on and ends; its whole control connection shows, first line to last.
    lftp.send('quote NOOP');
    expect(await lftp.bye()).toBe(0);
    await expect(ana.getByTestId('class-room')).toContainText('no session live');
    await expect(followed).toContainText('221 ');
    for (const line of ['220-Protocol Lab FTP server', 'USER student', 'SYST', 'NOOP', 'QUIT']) await expect(followed).toContainText(line);
    await expect(dropped).toContainText(`${LISTINGS - 100} of FTP · client`);
    await ana.screenshot({ path: test.info().outputPath('class-following-ftp-listings.png') });
  } finally {
    lftp.kill();
  }
});

test('a student who starts following mid-session sees the data connections the session opened before', async ({ browser }) => {
  test.setTimeout(120_000);
  const ana = await studentOfNewClass(browser, 'Late');
  const lftp = new Lftp(Number(process.env.FTP_PORT), process.env.LAB_PASSWORD ?? '');
  try {
    // Three listings (three data connections, each ended) before Ana follows; the control connection stays open.
    await lftp.run(['cls -1', 'cls -1', 'cls -1'], 'listed-three');
    await ana.getByTestId('follow-toggle').click();
    await expect(ana.getByTestId('follow-status')).toHaveText('following: read-only');
    const followed = ana.getByTestId('follow-view').getByTestId('transcript');
    await expect(followed).toContainText('USER student');
    // The listing travels on the data connections only: the control connection never names README.txt.
    await expect(followed).toContainText('README.txt');
    expect(await lftp.bye()).toBe(0);
  } finally {
    lftp.kill();
  }
});
