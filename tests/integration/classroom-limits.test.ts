/**
 * Issue 15, limits per sandbox: a student sandbox holds at most LAB_SANDBOX_MAX_CONNECTIONS live
 * connections over every lab; the next is refused while the others' sandboxes (and the machine
 * owner's) are untouched, and closing one makes room again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestBrowser } from '../helpers/browser.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';
import { LineClient } from '../helpers/line-client.ts';
import { openStudent, type Student } from '../helpers/student.ts';

let lab: TestLab;
let a: Student;
let b: Student;
const pages: TestBrowser[] = [];
beforeAll(async () => {
  lab = await startTestLab({ config: { sandboxMaxConnections: 2, sandboxMaxMails: 2 } });
  a = await openStudent(lab);
  b = await openStudent(lab);
});
afterAll(async () => {
  for (const page of pages) page.close();
  await lab?.stop();
});

async function page(student?: Student): Promise<TestBrowser> {
  const opened = await TestBrowser.open(lab, student ? { cookie: student.cookie } : {});
  pages.push(opened);
  return opened;
}

/** Opens an SMTP console and resolves with its first status after connecting: its conn, or why it closed. */
async function openConsole(browser: TestBrowser, id: string): Promise<{ conn?: string; closed?: string }> {
  browser.send({ type: 'console.open', consoleId: id, protocol: 'smtp' });
  const status = await browser.next((m) => m.type === 'console' && m.consoleId === id && m.status.state !== 'connecting');
  if (status.type !== 'console') throw new Error('unreachable');
  return status.status.state === 'open' ? { conn: status.status.conn } : { closed: status.status.state === 'closed' ? status.status.reason : '' };
}

describe('connections per student sandbox', () => {
  it('refuses the connection beyond the limit, only in that sandbox, and makes room when one closes', async () => {
    const pageA = await page(a);
    const first = await openConsole(pageA, 'a1');
    const second = await openConsole(pageA, 'a2');
    expect(first.conn && second.conn).toBeTruthy();
    await pageA.message(second.conn ?? '', /^220 /);
    const third = await openConsole(pageA, 'a3');
    expect(third.conn).toBeUndefined();
    expect(third.closed).toMatch(/as many connections open as it may/);

    // B and the machine owner are not touched by A's limit.
    const pageB = await page(b);
    expect((await openConsole(pageB, 'b1')).conn).toBeTruthy();
    const owner = await page();
    for (const id of ['o1', 'o2', 'o3']) expect((await openConsole(owner, id)).conn, id).toBeTruthy();

    // A closes one; the next one fits again.
    pageA.send({ type: 'console.send', consoleId: 'a1', line: 'QUIT' });
    // The tap counts it out when it closes the connection, in the same turn as it publishes the close.
    await pageA.events.next((e) => e.type === 'connection.close' && e.connection.id === first.conn, { from: 0 });
    const again = await openConsole(pageA, 'a4');
    expect(again.conn).toBeTruthy();
  });

  it("answers 552 5.2.2 once a student's mailbox is full, and only that student's", async () => {
    /** One unauthenticated mail over a raw session; resolves with the RCPT reply (and sends the mail when accepted). */
    const send = async (to: string): Promise<string> => {
      const smtp = await LineClient.connect(lab.port('smtp'));
      await smtp.waitFor(/^220 /m);
      await smtp.command('EHLO limits.test');
      await smtp.command('MAIL FROM:<t@limits.test>');
      const rcpt = await smtp.command(`RCPT TO:<${to}>`);
      if (rcpt.startsWith('250')) {
        await smtp.command('DATA');
        await smtp.command('Subject: one more\r\n\r\nhello\r\n.');
      }
      await smtp.command('QUIT');
      return rcpt;
    };
    // Fresh students: A's consoles above hold its two connections (a session filed there would get 451).
    const [c, d] = [await openStudent(lab), await openStudent(lab)];
    expect(await send(`x@${c.sandbox}.lab.test`)).toMatch(/^250 /);
    expect(await send(`y@${c.sandbox}.lab.test`)).toMatch(/^250 /);
    expect(await send(`z@${c.sandbox}.lab.test`)).toMatch(/^552 5\.2\.2 Mailbox full/);
    expect((await c.call<{ messages: unknown[] }>('/api/mailbox')).body.messages).toHaveLength(2);
    expect(await send(`x@${d.sandbox}.lab.test`)).toMatch(/^250 /);
    expect(await send(`x@${a.sandbox}.lab.test`)).toMatch(/^451 4\.3\.0/);
    // The machine owner's mailbox has no such limit.
    for (const to of ['alice@lab.test', 'alice@lab.test', 'alice@lab.test']) expect(await send(to)).toMatch(/^250 /);
  });
});
