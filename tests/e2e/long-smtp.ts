import { expect, type APIRequestContext } from '@playwright/test';
import { LineClient } from '../helpers/line-client';

/**
 * Long SMTP sessions from a real socket, for what the player and a class do with more messages than they keep
 * (the browser keeps 5,000 a connection; the e2e lab stores 6,000, LAB_TRANSCRIPT_MESSAGES in tests/e2e/run.mjs).
 */

/** The lab's limit on stored messages per connection in the e2e lab (tests/e2e/run.mjs). */
export const E2E_STORED_MESSAGES = 6000;

/**
 * An SMTP client after `EHLO <name>` and AUTH with the lab login: the default sandbox's (the teacher's), even once
 * the classroom specs made students' sandboxes; and `local`, its address as the connection lists name it.
 */
export async function labSmtpClient(name: string): Promise<{ client: LineClient; local: string }> {
  const client = await LineClient.connect(Number(process.env.SMTP_PORT));
  const local = `127.0.0.1:${client.socket.localPort}`;
  await client.waitFor(/^220 .*\r\n/m);
  await client.command(`EHLO ${name}`);
  const login = Buffer.from(`\0student\0${process.env.LAB_PASSWORD ?? ''}`).toString('base64');
  expect(await client.command(`AUTH PLAIN ${login}`)).toMatch(/^235 /m);
  return { client, local };
}

/** Sends `count` NOOPs pipelined by the hundred and waits for each one's 250: twice `count` messages more. */
export async function noops(client: LineClient, count: number): Promise<void> {
  for (let sent = 0; sent < count; sent += 100) {
    const now = Math.min(100, count - sent);
    client.write('NOOP\r\n'.repeat(now));
    for (let j = 0; j < now; j++) await client.waitFor(/^250 2\.0\.0 OK\r\n/m);
  }
}

export interface Listed {
  id: string;
  client: string;
  messageCount: number;
  endedAt: number | null;
}

/** The SMTP connection of the client at `local`, once listed; with `ended`, once it ended (its messageCount is final then). */
export async function listedSmtp(request: APIRequestContext, local: string, ended = false): Promise<Listed> {
  let found: Listed | undefined;
  await expect
    .poll(async () => {
      const { connections } = (await (await request.get('/api/connections?protocol=smtp&limit=100')).json()) as { connections: Listed[] };
      found = connections.find((c) => c.client === local && (!ended || c.endedAt !== null));
      return found !== undefined;
    })
    .toBe(true);
  return found!;
}
