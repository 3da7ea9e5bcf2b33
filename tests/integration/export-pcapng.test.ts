/**
 * pcapng export read back by tshark: a real SMTP session through the tap is the TCP stream tshark
 * dissects as SMTP, command for command and reply for reply as in the transcript, with the lab's
 * annotations in the frame comments, directions in epb_flags and no TCP analysis warnings; a
 * STARTTLS session of the lab's console carries its key log, so tshark reads the SMTP inside TLS.
 * The bytes route returns exactly the bytes of a message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smtpLab } from '../../servers/smtp/lab.ts';
import { startTestLab, TEST_PASSWORD, type TestLab } from '../helpers/daemon.ts';
import { consoleStartTls, decodeAs, download, smtpSession, SMTP_LINES, transcript, tshark, wireRows } from './export-helpers.ts';

let lab: TestLab;
let plain: string;
let tls: string;
beforeAll(async () => {
  lab = await startTestLab({ labs: [smtpLab] });
  plain = await smtpSession(lab);
  tls = await consoleStartTls(lab);
});
afterAll(async () => {
  await lab?.stop();
});

const smtp = () => decodeAs(lab.port('smtp'), 'smtp');

describe('capture behind the transcript', () => {
  it("places each client command at the sum of the client's bytes before it (LabMessage.at)", async () => {
    const { messages } = await transcript(lab, plain);
    const commands = messages.filter((m) => m.dir === 'client' && m.kind === 'command');
    expect(commands.map((m) => m.text)).toEqual(['EHLO client.test', 'MAIL FROM:<student@lab.test>', 'RCPT TO:<alice@lab.test>', 'DATA', 'QUIT']);
    const sent = SMTP_LINES.map((line) => `${line}\r\n`);
    const offsetOf = (line: string) => sent.slice(0, sent.findIndex((s) => s.startsWith(line))).join('').length;
    expect(commands.map((m) => m.at)).toEqual(commands.map((m) => offsetOf(m.text)));
  });

  it('answers the bytes of a message exactly, and in words why an endpoint-view message has none', async () => {
    const { messages } = await transcript(lab, plain);
    const mail = messages.find((m) => m.text.startsWith('MAIL FROM'))!;
    const reply = await lab.api<{ at: number; bytes: number; data: string; truncated: boolean }>(`/api/connections/${plain}/messages/${mail.seq}/bytes`);
    expect(Buffer.from(reply.data, 'base64').toString('latin1')).toBe('MAIL FROM:<student@lab.test>\r\n');
    expect(reply).toMatchObject({ at: 'EHLO client.test\r\n'.length, bytes: 30, truncated: false });

    const ehlo = (await transcript(lab, tls)).messages.find((m) => m.view === 'endpoint' && m.text === 'EHLO again.test')!;
    const res = await fetch(`${lab.baseUrl}/api/connections/${tls}/messages/${ehlo.seq}/bytes`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: string }).error).toMatch(/endpoint view/);
    expect((await fetch(`${lab.baseUrl}/api/connections/${plain}/messages/999/bytes`)).status).toBe(404);
  });
});

describe('pcapng export', () => {
  it('is an attachment named after the connection', async () => {
    const file = await download(lab, `/api/connections/${plain}/export?format=pcapng`);
    expect(file.type).toBe('application/x-pcapng');
    expect(file.disposition).toBe(`attachment; filename="${plain}.pcapng"`);
  });

  it("dissects as SMTP in tshark, command for command and reply code for reply code as in the transcript", async () => {
    const { body } = await download(lab, `/api/connections/${plain}/export?format=pcapng`);
    const rows = await tshark(body, [...smtp(), '-Y', 'smtp.req.command || smtp.response.code', '-T', 'fields', '-e', 'smtp.req.command', '-e', 'smtp.response.code']);
    const seen = rows.map((row) => {
      const [command, code] = row.split('\t');
      return command ? `C ${command}` : `S ${code.split(',')[0]}`;
    });
    expect(seen).toEqual(wireRows((await transcript(lab, plain)).messages));
    expect(seen).toContain('C MAIL');
    expect(seen).toContain('S 354');
  });

  it("carries the lab's annotation and step number as each message's frame comment, and each packet's direction", async () => {
    const { body } = await download(lab, `/api/connections/${plain}/export?format=pcapng`);
    const comments = (await tshark(body, ['-Y', 'frame.comment', '-T', 'fields', '-e', 'frame.comment'])).join('\n');
    const { messages } = await transcript(lab, plain);
    const mail = messages.find((m) => m.text.startsWith('MAIL FROM'))!;
    expect(comments).toContain(`step ${mail.seq}: ${mail.annotation!.title} · smtp.cmd.MAIL · RFC 5321 §4.1.1.2`);
    for (const m of messages.filter((x) => x.view === 'wire' && x.annotation?.key)) expect(comments).toContain(`step ${m.seq}: ${m.annotation!.title} · ${m.annotation!.key}`);

    const port = String(lab.port('smtp'));
    const directions = await tshark(body, ['-Y', 'tcp.len > 0', '-T', 'fields', '-e', 'tcp.dstport', '-e', 'frame.packet_flags_direction']);
    expect(directions.length).toBeGreaterThan(5);
    for (const row of directions) {
      const [dstPort, direction] = row.split('\t');
      // Inbound (1): towards the lab's server; outbound (2): from it.
      expect([dstPort === port, Number(direction)]).toEqual([dstPort === port, dstPort === port ? 1 : 2]);
    }
  });

  it('is a TCP stream without analysis warnings: handshake, sequence numbers, FIN both ways', async () => {
    const { body } = await download(lab, `/api/connections/${plain}/export?format=pcapng`);
    expect(await tshark(body, [...smtp(), '-Y', 'tcp.analysis.flags'])).toEqual([]);
    const flags = await tshark(body, ['-T', 'fields', '-e', 'tcp.flags.str']);
    expect(flags.slice(0, 3).map((f) => f.replace(/·/g, ''))).toEqual(['S', 'AS', 'A']);
    expect(flags.slice(-3).map((f) => f.replace(/·/g, ''))).toEqual(['AF', 'AF', 'A']);
  });

  it("decrypts the console's STARTTLS session with the key log it embeds: EHLO and AUTH after TLS", async () => {
    const { body } = await download(lab, `/api/connections/${tls}/export?format=pcapng`);
    const rows = await tshark(body, [...smtp(), '-Y', 'smtp.req.command', '-T', 'fields', '-e', 'smtp.req.command', '-e', 'smtp.req.parameter', '-e', 'tls.record.content_type']);
    // Decrypted from Application Data records (content type 23); a packet may carry several records.
    const afterTls = rows.filter((row) => (row.split('\t')[2] ?? '').split(',').includes('23')).map((row) => row.split('\t').slice(0, 2).join(' '));
    expect(afterTls).toEqual(['EHLO again.test', `AUTH PLAIN ${Buffer.from(`\0student\0${TEST_PASSWORD}`).toString('base64')}`, 'QUIT ']);
    expect(await tshark(body, [...smtp(), '-Y', 'tcp.analysis.flags'])).toEqual([]);
  });

  it('serves the key log alone in NSS format (format=keylog)', async () => {
    const { body, disposition } = await download(lab, `/api/connections/${tls}/export?format=keylog`);
    expect(disposition).toBe(`attachment; filename="${tls}.keylog"`);
    const lines = body.toString().trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(5);
    for (const line of lines) expect(line).toMatch(/^(CLIENT|SERVER)_(HANDSHAKE_)?TRAFFIC_SECRET(_0)? [0-9a-f]{64} [0-9a-f]+$|^EXPORTER_SECRET [0-9a-f]{64} [0-9a-f]+$/);
    // A session the lab holds no TLS side of has none.
    expect((await download(lab, `/api/connections/${plain}/export?format=keylog`)).body.length).toBe(0);
  });

  it('writes a handout in wire order with each annotation and its RFC reference', async () => {
    const { body, disposition } = await download(lab, `/api/connections/${plain}/export?format=text`);
    expect(disposition).toBe(`attachment; filename="${plain}.txt"`);
    const text = body.toString();
    expect(text).toMatch(/^#4 {2}\+[\d.]+ ms {2}C: MAIL FROM:<student@lab\.test>$/m);
    expect(text).toContain('MAIL FROM: start a mail transaction [smtp.cmd.MAIL] — RFC 5321 §4.1.1.2');
    expect(text.indexOf('C: MAIL FROM')).toBeLessThan(text.indexOf('C: RCPT TO'));
  });

  it("prints the lab's notes after one '--' marker, without the dashes the terminal draws around them", async () => {
    const text = (await download(lab, `/api/connections/${tls}/export?format=text`)).body.toString();
    expect(text).toMatch(/^#\d+ {2}\+[\d.]+ ms {2}-- TLS starts here: both directions now carry encrypted records$/m);
    const notes = text.split('\n').filter((line) => / ms {2}-- /.test(line));
    expect(notes.length).toBeGreaterThan(0);
    for (const line of notes) expect(line).not.toMatch(/-- [—-]|[—-]$/);
  });
});
