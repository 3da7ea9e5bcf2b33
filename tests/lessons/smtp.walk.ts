/**
 * Walkers for the SMTP lessons (tests/lessons/harness.ts): each step driven by a real client through
 * the SMTP tap — a line client typing as the student would in the console, nodemailer, curl.
 */
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

/** Every SMTP lesson's walker (tests/integration/lessons-walk-smtp.test.ts). */
export const SMTP_WALKERS: readonly LessonWalker[] = [firstMail()];
