/**
 * Hold, edit, release (issue 14 #2) against the real servers: an SMTP command edited while held
 * changes what the real SMTP server answers, and both versions are recorded; a server reply edited;
 * a held message dropped; a SOAP envelope edited whole with its Content-Length fixed, answered by
 * the real SOAP service; a TLS record refused. Step mode is driven through POST /api/step (the
 * HTTP holder), as a script would.
 */
import { execFile } from 'node:child_process';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StepState } from '../../lib/bus/events.ts';
import { coreContracts } from '../../lib/http/core-contracts.ts';
import type { Protocol } from '../../lib/wire/event.ts';
import { smtpLab } from '../../servers/smtp/lab.ts';
import { createSoapLab } from '../../servers/soap/lab.ts';
import { nextEvent } from '../helpers/bus.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';
import { tool } from '../helpers/tools.ts';
import { MessageLog, RawLineClient, connOf } from './faults-helpers.ts';
import net from 'node:net';

let lab: TestLab;
let log: MessageLog;
beforeAll(async () => {
  lab = await startTestLab({ labs: [smtpLab, createSoapLab({ thinkTime: () => 0 })] });
  log = new MessageLog(lab.daemon.bus);
});
afterAll(async () => {
  log?.dispose();
  await lab?.stop();
});

/** The HTTP holder's next step state passing `test` (subscribe before causing it). */
function heldState(protocol: Protocol, test: (state: StepState) => boolean): Promise<StepState> {
  return nextEvent(lab.daemon.bus, 'step', (e) => e.holder === 'http' && e.state.protocol === protocol && test(e.state)).then((e) => e.state);
}

const step = (protocol: Protocol, body: { enabled?: boolean; action?: 'next' | 'edit' | 'drop'; text?: string }) => lab.api(coreContracts.setStep, { params: { protocol }, body });

async function smtpSession(): Promise<{ client: RawLineClient; conn: string }> {
  const client = new RawLineClient(net.connect(lab.port('smtp'), '127.0.0.1'));
  await client.waitFor(/^220 .*\r\n/m);
  await client.command('EHLO client.example');
  return { client, conn: await connOf(lab, 'smtp', client.socket) };
}

describe('hold, edit, release', () => {
  it('an RCPT edited while held gets the real server’s answer to the edit, and the transcript keeps both versions', async () => {
    const { client, conn } = await smtpSession();
    expect(await client.command('MAIL FROM:<student@lab.test>')).toMatch(/^250 /m);
    await step('smtp', { enabled: true });
    const held = heldState('smtp', (s) => s.next?.text === 'RCPT TO:<alice@lab.test>');
    client.socket.write('RCPT TO:<alice@lab.test>\r\n');
    expect((await held).next).toMatchObject({ conn, dir: 'client', editable: true, full: 'RCPT TO:<alice@lab.test>' });

    const answer = heldState('smtp', (s) => s.next?.dir === 'server');
    await step('smtp', { action: 'edit', text: 'RCPT TO:<mallory@elsewhere.example>' });
    expect((await answer).next?.text).toMatch(/^550 5\.7\.1 /);
    await step('smtp', { enabled: false });
    expect(await client.waitFor(/^\d{3} .*\r\n/m)).toMatch(/^550 5\.7\.1 /);

    const edited = await log.find((m) => m.conn === conn && m.edited !== undefined);
    expect(edited).toMatchObject({
      dir: 'client',
      kind: 'command',
      text: 'RCPT TO:<mallory@elsewhere.example>',
      edited: { original: 'RCPT TO:<alice@lab.test>' },
      fields: expect.arrayContaining([{ name: 'forward-path', value: '<mallory@elsewhere.example>' }]),
      bytes: 'RCPT TO:<mallory@elsewhere.example>\r\n'.length,
    });
    // Offsets follow the forwarded stream: the next command starts right after the (longer) edited line.
    client.socket.write('NOOP\r\n');
    await client.waitFor(/^250 .*\r\n/m);
    const noop = await log.find((m) => m.conn === conn && m.dir === 'client' && m.text === 'NOOP');
    expect(noop.at).toBe((edited.at ?? NaN) + edited.bytes!);
    // The server's own log saw only the edit.
    expect(log.of(conn).some((m) => m.view === 'endpoint' && /alice@lab\.test/.test(m.text) && /RCPT/.test(m.text))).toBe(false);
    client.close();
  });

  it('a server reply edited while held reaches the client changed, re-read as a reply to the command it answers', async () => {
    const { client, conn } = await smtpSession();
    await step('smtp', { enabled: true });
    const held = heldState('smtp', (s) => s.next?.text === 'MAIL FROM:<student@lab.test>');
    client.socket.write('MAIL FROM:<student@lab.test>\r\n');
    await held;
    const reply = heldState('smtp', (s) => s.next?.dir === 'server' && s.next.editable === true);
    await step('smtp', { action: 'next' });
    expect((await reply).next?.full).toMatch(/^250 /);
    await step('smtp', { action: 'edit', text: '452 4.3.1 Insufficient system storage' });
    await step('smtp', { enabled: false });
    expect(await client.waitFor(/^\d{3} .*\r\n/m)).toBe('452 4.3.1 Insufficient system storage\r\n');
    const edited = await log.find((m) => m.conn === conn && m.dir === 'server' && m.edited !== undefined);
    expect(edited.edited?.original).toMatch(/^250 /);
    expect(edited.annotation?.key).toMatch(/^smtp\.reply\.452/);
    client.close();
  });

  it('the reply to an edited command is read as the answer to the edit: EHLO edited to HELO gets a HELO reply', async () => {
    const client = new RawLineClient(net.connect(lab.port('smtp'), '127.0.0.1'));
    await client.waitFor(/^220 .*\r\n/m);
    const conn = await connOf(lab, 'smtp', client.socket);
    await step('smtp', { enabled: true });
    const held = heldState('smtp', (s) => s.next?.text === 'EHLO held.test');
    client.socket.write('EHLO held.test\r\n');
    await held;
    const answer = heldState('smtp', (s) => s.next?.dir === 'server');
    await step('smtp', { action: 'edit', text: 'HELO edited.test' });
    await answer;
    await step('smtp', { action: 'next' });
    await step('smtp', { enabled: false });
    // One line: a HELO reply lists no extensions.
    expect(await client.waitFor(/^250 .*\r\n/m)).toMatch(/^250 /);
    const reply = await log.find((m) => m.conn === conn && m.dir === 'server' && m.view === 'wire' && /^250 /.test(m.text));
    expect(reply.annotation?.key).toBe('smtp.reply.250.helo');
    client.close();
  });

  it('a dropped command never reaches the server, and the transcript says so', async () => {
    const { client, conn } = await smtpSession();
    await step('smtp', { enabled: true });
    const held = heldState('smtp', (s) => s.next?.text === 'VRFY alice');
    client.socket.write('VRFY alice\r\n');
    await held;
    await step('smtp', { action: 'drop' });
    await step('smtp', { enabled: false });
    expect(await client.command('NOOP')).toMatch(/^250 /m);
    const dropped = await log.find((m) => m.conn === conn && m.text === 'dropped in step mode: VRFY alice');
    expect(dropped).toMatchObject({ dir: 'note', annotation: { key: 'step.dropped' } });
    expect(log.of(conn).some((m) => /^250 .*alice/.test(m.text))).toBe(false);
    client.close();
  });

  it('a SOAP envelope edited whole reaches the real service with a correct Content-Length', async () => {
    const envelope = '<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:c="http://lab.test/soap/calendar"><s:Body><c:getMonth><c:year>2003</c:year><c:month>1</c:month></c:getMonth></s:Body></s:Envelope>';
    await step('soap', { enabled: true });
    const held = heldState('soap', (s) => s.next?.editable === true && (s.next.full ?? '').includes('</s:Envelope>'));
    const answered = new Promise<string>((resolve, reject) => {
      const child = execFile(
        tool('curl'),
        ['-s', '-m', '20', '-H', 'Content-Type: text/xml; charset=utf-8', '-H', 'SOAPAction: "http://lab.test/soap/calendar/getMonth"', '--data-binary', '@-', `http://127.0.0.1:${lab.port('soap')}/soap/calendar`],
        { encoding: 'utf8' },
        (err, out) => (err ? reject(err) : resolve(out)),
      );
      child.stdin?.end(envelope);
    });
    const full = (await held).next?.full ?? '';
    expect(full).toMatch(/^POST \/soap\/calendar HTTP\/1\.1\r\n/);
    expect(full).toContain(`Content-Length: ${envelope.length}`);
    await step('soap', { action: 'edit', text: full.replace('<c:month>1</c:month>', '<c:month>12</c:month>') });
    await step('soap', { enabled: false });
    const body = await answered;
    expect(body).toContain('December 2003');
    const edited = await log.find((m) => m.protocol === 'soap' && m.edited !== undefined);
    expect(edited.kind).toBe('request-line');
    expect(edited.edited?.original).toContain('<c:month>1</c:month>');
    const length = await log.find((m) => m.conn === edited.conn && m.kind === 'header' && /^Content-Length:/i.test(m.text) && m.seq > edited.seq);
    expect(length.text).toBe(`Content-Length: ${envelope.length + 1}`);
  });

  it('refuses to edit a TLS record, in words, and says so in the held preview', async () => {
    const { client, conn } = await smtpSession();
    expect(await client.command('STARTTLS')).toMatch(/^220 /m);
    await step('smtp', { enabled: true });
    const held = heldState('smtp', (s) => s.next?.conn === conn && s.next.dir === 'client');
    const secure = tls.connect({ socket: client.socket, rejectUnauthorized: false });
    secure.on('error', () => {});
    const preview = (await held).next;
    expect(preview).toMatchObject({ editable: false, refusal: 'encrypted — only the endpoint where the lab is the client can change this' });
    await expect(step('smtp', { action: 'edit', text: 'anything' })).rejects.toThrow(/409.*encrypted — only the endpoint where the lab is the client can change this/);
    await step('smtp', { enabled: false });
    await new Promise<void>((resolve) => secure.once('secureConnect', () => resolve()));
    secure.destroy();
  });
});
