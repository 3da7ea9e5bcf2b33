/**
 * The SMTP server takes connections handed over in process (the tap's in-memory end) and, with no
 * port of its own, still refuses any the tap did not file (issue 8 #13) with 421.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateLabCertificate } from '../../lib/tls/certificate.ts';
import { duplexPair } from '../../lib/wire/duplex-pair.ts';
import { start, type RunningSmtpServer } from './index.ts';

let server: RunningSmtpServer;
const filed = new Set([50001]);

beforeAll(async () => {
  server = await start({
    host: '127.0.0.1',
    port: null,
    hostname: 'mail.lab.test',
    tls: await generateLabCertificate(),
    maxSize: 1024,
    credentials: { user: 'student', password: 'x' },
    deliver: async () => {},
    admit: (remotePort) => (filed.has(remotePort) ? { helloGraceMs: null } : null),
  });
});
afterAll(async () => {
  await server?.stop();
});

/** Hands one in-memory connection from `port` to the server and reads its first reply. */
function firstReply(port: number): Promise<{ reply: string; end: () => void }> {
  const [client, serverEnd] = duplexPair({ address: '127.0.0.1', port }, { address: '127.0.0.1', port: 25 });
  server.accept(serverEnd);
  return new Promise((resolve) => client.once('data', (chunk: Buffer) => resolve({ reply: chunk.toString(), end: () => client.destroy() })));
}

describe('SMTP server handed connections in process', () => {
  it('has no port of its own', () => {
    expect(server.ports.smtp).toBe(0);
  });

  it('greets a connection the tap filed', async () => {
    const { reply, end } = await firstReply(50001);
    expect(reply).toMatch(/^220 mail\.lab\.test /);
    end();
  });

  it('refuses a sandbox domain, which a bare server has none of, 550 5.1.2 (RFC 3463 §3.2: bad destination system address)', async () => {
    const [client, serverEnd] = duplexPair({ address: '127.0.0.1', port: 50001 }, { address: '127.0.0.1', port: 25 });
    const replies: string[] = [];
    client.on('data', (chunk: Buffer) => replies.push(...chunk.toString().split('\r\n').filter(Boolean)));
    const reply = (code: RegExp) =>
      new Promise<string>((resolve) => {
        const look = () => {
          const found = replies.find((line) => code.test(line));
          if (found) resolve(found);
          else client.once('data', () => setImmediate(look));
        };
        look();
      });
    server.accept(serverEnd);
    await reply(/^220 /);
    client.write('HELO x.example\r\nMAIL FROM:<a@x.example>\r\n');
    await reply(/^250 .*(ok|Accepted|sender)/i);
    client.write('RCPT TO:<alice@zzzzzz.lab.test>\r\n');
    expect(await reply(/^550 /)).toMatch(/^550 5\.1\.2 <alice@zzzzzz\.lab\.test>: no such domain here/);
    client.destroy();
  });

  it('refuses one the tap did not file with 421 in the lab\'s words', async () => {
    const { reply, end } = await firstReply(50002);
    expect(reply).toMatch(/^421 4\.7\.0 This connection did not come through the lab's tap/);
    end();
  });
});
