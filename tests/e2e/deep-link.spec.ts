/**
 * What a page cannot show as asked, it says: the player, when it shows only the newest of a long
 * connection's messages.
 */
import { expect, test, type APIRequestContext } from '@playwright/test';
import { LineClient } from '../helpers/line-client';
import { transcript } from './console';

interface Listed {
  id: string;
  client: string;
  messageCount: number;
  parent?: string;
}

/** The connection a client at `local` made, once the daemon lists it. */
async function listed(request: APIRequestContext, protocol: string, local: string): Promise<Listed> {
  let found: Listed | undefined;
  await expect
    .poll(async () => {
      const { connections } = (await (await request.get(`/api/connections?protocol=${protocol}&limit=100`)).json()) as { connections: Listed[] };
      found = connections.find((c) => c.client === local && !c.parent);
      return found !== undefined;
    })
    .toBe(true);
  return found!;
}

test.beforeEach(async ({ request }) => {
  await request.post('/api/step/smtp', { data: { enabled: false } });
});

test('the player says when it shows only the newest 5,000 messages of a longer connection, and of how many', async ({ page, request }, testInfo) => {
  test.setTimeout(240_000);
  const client = await LineClient.connect(Number(process.env.SMTP_PORT));
  const local = `127.0.0.1:${client.socket.localPort}`;
  await client.waitFor(/^220 .*\r\n/m);
  await client.command('EHLO long.example');
  const session = await listed(request, 'smtp', local);
  await page.goto(`/sessions/${session.id}`);
  await expect(transcript(page)).toContainText('EHLO long.example');
  await expect(page.getByTestId('player-kept')).toHaveCount(0);
  // 2,600 NOOPs and their 250s, pipelined by the hundred: 5,200 messages more, watched live.
  for (let i = 0; i < 26; i++) {
    client.write('NOOP\r\n'.repeat(100));
    for (let j = 0; j < 100; j++) await client.waitFor(/^250 2\.0\.0 OK\r\n/m);
  }
  await expect(page.getByTestId('player-kept')).toHaveText(/^This connection has 5,2\d\d messages; the player shows the newest [\d,]+ \(from message [\d,]+ on\): it keeps 5,000 per connection\.$/, { timeout: 150_000 });
  await page.screenshot({ path: testInfo.outputPath('player-newest-5000.png') });
  await client.command('QUIT');
  await client.whenClosed();
});
