/**
 * Walkers for the SMTP lessons (tests/lessons/harness.ts): each step driven by a real client through
 * the SMTP tap — a line client typing as the student would in the console, nodemailer, curl.
 */
import nodemailer from 'nodemailer';
import { expect } from 'vitest';
import type { LabMessage } from '../../lib/wire/event.ts';
import { TEST_PASSWORD } from '../helpers/daemon.ts';
import { LineClient } from '../helpers/line-client.ts';
import type { LessonWalker, WalkContext } from './harness.ts';

/** A line client at the SMTP tap that has read the 220 greeting. */
async function greeted(ctx: WalkContext): Promise<LineClient> {
  const client = await LineClient.connect(ctx.port('smtp'));
  await client.waitFor(/^220 .*\r\n/m);
  return client;
}

/** Sends `line` and fails unless the reply starts with `code`. */
async function expectReply(client: LineClient, line: string, code: number): Promise<string> {
  const reply = await client.command(line);
  if (!new RegExp(`^${code}[ -]`, 'm').test(reply.split('\r\n').at(-2) ?? reply)) throw new Error(`${line} → ${JSON.stringify(reply)}, expected ${code}`);
  return reply;
}

/** The texts of the messages a done step's proof links to (in the transcripts the lesson saw). */
async function proofTexts(ctx: WalkContext, step: string): Promise<string[]> {
  const ids = (await ctx.state()).status.find((s) => s.step === step)?.proof ?? [];
  const texts: string[] = [];
  for (const id of ids) {
    const conn = id.slice(0, id.lastIndexOf(':'));
    const { messages } = await ctx.lab.api<{ messages: LabMessage[] }>(`/api/connections/${conn}`);
    texts.push(messages.find((m) => m.id === id)?.text ?? `(no message ${id})`);
  }
  return texts;
}

/** Ends a session politely: QUIT, 221, closed. */
async function quit(client: LineClient): Promise<void> {
  await expectReply(client, 'QUIT', 221);
  await client.whenClosed();
}

/** smtp-first-mail: one session typed line by line, step after step, as a student does in the console. */
function firstMail(): LessonWalker {
  let client: LineClient;
  return {
    lesson: 'smtp-first-mail',
    steps: {
      greeting: async (ctx) => {
        client = await greeted(ctx);
      },
      ehlo: async () => {
        await expectReply(client, 'EHLO student.example', 250);
      },
      envelope: async () => {
        await expectReply(client, 'MAIL FROM:<student@lab.test>', 250);
        await expectReply(client, 'RCPT TO:<alice@lab.test>', 250);
      },
      data: async (ctx) => {
        const start = client.received.length;
        await ctx.answerHeld(() => client.send('DATA'), '354');
        const reply = await client.replyFrom(start);
        if (!reply.startsWith('354')) throw new Error(`DATA → ${reply}`);
      },
      message: async () => {
        client.send('Subject: my first mail');
        client.send('');
        client.send('Hello Alice, typed by hand.');
        await expectReply(client, '.', 250);
      },
      'bad-sequence': async () => {
        await expectReply(client, 'RCPT TO:<bob@lab.test>', 503);
      },
      quit: async () => {
        await quit(client);
      },
    },
  };
}

/** smtp-reading-replies: one console session, from HELP to a QUIT held by step mode. */
function readingReplies(): LessonWalker {
  let client: LineClient;
  return {
    lesson: 'smtp-reading-replies',
    steps: {
      help: async (ctx) => {
        client = await greeted(ctx);
        await expectReply(client, 'EHLO student.example', 250);
        await expectReply(client, 'HELP', 214);
      },
      'unknown-command': async () => {
        await expectReply(client, 'HELLO there', 500);
      },
      'bad-argument': async () => {
        await expectReply(client, 'MAIL FROM:student', 501);
      },
      'enhanced-code': async () => {
        await expectReply(client, 'MAIL FROM:<student@lab.test>', 250);
        const reply = await expectReply(client, 'RCPT TO:<nobody@lab.test>', 550);
        if (!reply.includes(' 5.1.1 ')) throw new Error(`no 5.1.1 in ${reply}`);
      },
      'success-code': async () => {
        await expectReply(client, 'VRFY alice', 250);
      },
      quit: async (ctx) => {
        const start = client.received.length;
        await ctx.answerHeld(() => client.send('QUIT'), '221');
        const reply = await client.replyFrom(start);
        if (!reply.startsWith('221 ')) throw new Error(`QUIT → ${reply}`);
        await client.whenClosed();
      },
    },
  };
}

/** AUTH PLAIN's initial response for the lab user (RFC 4616 §2): NUL, user, NUL, password, in base64. */
const plainLogin = (): string => Buffer.from(`\0student\0${TEST_PASSWORD}`).toString('base64');

/**
 * smtp-starttls-auth: AUTH in clear by a line client; then nodemailer, as swaks would, does STARTTLS
 * (held by step mode for the question), EHLO again, AUTH and a whole mail inside TLS in one session.
 */
function starttlsAuth(): LessonWalker {
  return {
    lesson: 'smtp-starttls-auth',
    steps: {
      'auth-in-clear': async (ctx) => {
        const client = await greeted(ctx);
        await expectReply(client, 'EHLO student.example', 250);
        await expectReply(client, `AUTH PLAIN ${plainLogin()}`, 235);
        await quit(client);
      },
      starttls: async (ctx) => {
        const transport = nodemailer.createTransport({
          host: '127.0.0.1',
          port: ctx.port('smtp'),
          secure: false,
          requireTLS: true,
          tls: { rejectUnauthorized: false },
          auth: { user: 'student', pass: TEST_PASSWORD },
        });
        let sent: Promise<unknown> = Promise.resolve();
        await ctx.answerHeld(() => {
          sent = transport.sendMail({ from: 'student@lab.test', to: 'alice@lab.test', subject: 'sealed', text: 'Only the endpoints can read this.' });
        }, '220');
        await sent;
        transport.close();
      },
      // Proven by the starttls step's session: EHLO again, AUTH and the mail all went inside its TLS.
      'ehlo-again': async () => {},
      'auth-inside': async () => {},
      'mail-inside': async () => {},
    },
  };
}

/** smtp-relays: one console session for the steps; each what-if on a fresh session with its fault armed. */
function relays(): LessonWalker {
  let client: LineClient;
  /** A session up to two accepted recipients (the second refused 451 when smtp.rcpt-451-second is armed). */
  const envelope = async (ctx: WalkContext, secondCode: number): Promise<LineClient> => {
    const c = await greeted(ctx);
    await expectReply(c, 'EHLO student.example', 250);
    await expectReply(c, 'MAIL FROM:<student@lab.test>', 250);
    await expectReply(c, 'RCPT TO:<alice@lab.test>', 250);
    await expectReply(c, 'RCPT TO:<bob@lab.test>', secondCode);
    return c;
  };
  return {
    lesson: 'smtp-relays',
    steps: {
      'local-recipients': async (ctx) => {
        client = await envelope(ctx, 250);
      },
      'relay-denied': async (ctx) => {
        const start = client.received.length;
        await ctx.answerHeld(() => client.send('RCPT TO:<someone@example.com>'), '550');
        const reply = await client.replyFrom(start);
        if (!reply.startsWith('550 5.7.1 ')) throw new Error(`relay RCPT → ${reply}`);
      },
      disguise: async () => {
        await expectReply(client, 'RCPT TO:<someone%example.com@lab.test>', 550);
      },
      deliver: async () => {
        await expectReply(client, 'DATA', 354);
        client.send('Subject: after a refusal');
        client.send('');
        client.send('Only alice and bob get this.');
        await expectReply(client, '.', 250);
        await quit(client);
      },
    },
    whatIfs: {
      'local-recipients': async (ctx) => {
        // Every step is done by now: the proof names the refused RCPT, not the accepted RCPT before it.
        expect(await proofTexts(ctx, 'relay-denied')).toEqual(['RCPT TO:<someone@example.com>', expect.stringMatching(/^550 5\.7\.1 /)]);
        const c = await envelope(ctx, 451);
        await quit(c);
      },
      deliver: async (ctx) => {
        const c = await greeted(ctx);
        await expectReply(c, 'EHLO student.example', 250);
        await expectReply(c, 'MAIL FROM:<student@lab.test>', 250);
        await expectReply(c, 'RCPT TO:<alice@lab.test>', 250);
        await expectReply(c, 'DATA', 554);
        await quit(c);
      },
    },
  };
}

/** Every SMTP lesson's walker (tests/integration/lessons-walk-smtp.test.ts). */
export const SMTP_WALKERS: readonly LessonWalker[] = [firstMail(), readingReplies(), starttlsAuth(), relays()];
