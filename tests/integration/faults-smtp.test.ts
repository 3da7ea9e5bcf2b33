/**
 * Scripted SMTP faults at the tap (issue 13), with real clients against the real SMTP server:
 * nodemailer and a raw line client. Each injected reply is marked in the transcript with its rule;
 * times=1 fires once; a rule armed for one connection leaves the others alone; another sandbox is
 * never touched.
 */
import nodemailer from 'nodemailer';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { coreContracts } from '../../lib/http/core-contracts.ts';
import { faultContracts } from '../../lib/http/fault-contracts.ts';
import { nextEvent } from '../helpers/bus.ts';
import { smtpLab } from '../../servers/smtp/lab.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';
import { MessageLog, setFault, twoSandboxes, type RawLineClient } from './faults-helpers.ts';

const RCPT = 'smtp.rcpt-451-second';

describe('scripted SMTP faults', () => {
  let lab: TestLab;
  let log: MessageLog;
  const { policy, connectIn } = twoSandboxes();
  beforeAll(async () => {
    lab = await startTestLab({ labs: [smtpLab], sandboxes: policy });
    log = new MessageLog(lab.daemon.bus);
  });
  afterAll(async () => {
    log?.dispose();
    await lab?.stop();
  });
  afterEach(async () => {
    for (const rule of [RCPT, 'smtp.data-554', 'smtp.close-after-mail']) await setFault(lab, { rule, enabled: false });
  });

  const session = async (sandbox = 'local'): Promise<{ client: RawLineClient; conn: string }> => {
    const client = connectIn(lab.port('smtp'), sandbox);
    await client.waitFor(/^220 .*\r\n/m);
    await client.command('EHLO client.example');
    // The sandbox's own API sees its own connections only.
    const res = await fetch(`${lab.baseUrl}/api/connections?protocol=smtp&limit=200`, { headers: { 'x-test-sandbox': sandbox } });
    const { connections } = (await res.json()) as { connections: { id: string; client: string }[] };
    const conn = connections.find((c) => c.client === `127.0.0.1:${client.socket.localPort}`)?.id;
    if (!conn) throw new Error('connection not listed');
    return { client, conn };
  };

  it('answers the 2nd RCPT of a nodemailer mail with 451 4.3.0 itself, once (times=1); the server never sees that recipient', async () => {
    const armed = await setFault(lab, { rule: RCPT, enabled: true, times: 1 });
    expect(armed.armed).toEqual([expect.objectContaining({ rule: RCPT, remaining: 1, scope: { kind: 'sandbox' } })]);
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: lab.port('smtp'), secure: false, ignoreTLS: true });
    const first = await transport.sendMail({ from: 'student@lab.test', to: ['alice@lab.test', 'bob@lab.test'], subject: 'fault 1', text: 'hello' });
    expect(first.accepted).toEqual(['alice@lab.test']);
    expect(first.rejected).toEqual(['bob@lab.test']);
    expect(String(first.rejectedErrors?.[0]?.message)).toMatch(/451 4\.3\.0/);

    const injected = await log.find((m) => m.injected?.rule === RCPT && m.dir === 'server', 'an injected 451');
    expect(injected).toMatchObject({
      kind: 'reply',
      text: expect.stringMatching(/^451 4\.3\.0 /),
      annotation: { key: `fault.${RCPT}`, title: 'injected by the lab: The 2nd RCPT gets 451 4.3.0' },
      injected: { rule: RCPT, title: 'The 2nd RCPT gets 451 4.3.0' },
    });
    const messages = log.of(injected.conn);
    // The client did send it (recorded, without an offset: it never went on), and the lab says what it did.
    const kept = messages.find((m) => m.dir === 'client' && /^RCPT TO:<bob@lab\.test>/i.test(m.text));
    expect(kept?.at).toBeUndefined();
    expect(messages.some((m) => m.dir === 'note' && m.injected?.rule === RCPT && /never sees this recipient/.test(m.text))).toBe(true);
    // The server's own log (endpoint view) never names bob.
    expect(messages.filter((m) => m.view === 'endpoint' && /bob@lab\.test/.test(m.text))).toEqual([]);
    expect((await lab.api(faultContracts.faults, { query: {} })).armed).toEqual([]);

    // times=1: the next mail to two recipients goes through untouched.
    const second = await transport.sendMail({ from: 'student@lab.test', to: ['alice@lab.test', 'bob@lab.test'], subject: 'fault 2', text: 'hello' });
    expect(second.accepted).toEqual(['alice@lab.test', 'bob@lab.test']);
    transport.close();
  });

  it('refuses DATA with 554 5.3.0 in the server’s place; the client can RSET and go on', async () => {
    await setFault(lab, { rule: 'smtp.data-554', enabled: true });
    const { client, conn } = await session();
    expect(await client.command('MAIL FROM:<student@lab.test>')).toMatch(/^250 /m);
    expect(await client.command('RCPT TO:<alice@lab.test>')).toMatch(/^250 /m);
    expect(await client.command('DATA')).toMatch(/^554 5\.3\.0 Transaction failed\r\n$/m);
    expect(await client.command('RSET')).toMatch(/^250 /m);
    client.close();
    const injected = await log.find((m) => m.conn === conn && m.injected?.rule === 'smtp.data-554' && m.dir === 'server');
    expect(injected.annotation?.key).toBe('fault.smtp.data-554');
    // Until disarmed (no times): it is still armed.
    expect((await lab.api(faultContracts.faults, { query: { lab: 'smtp' } })).armed.map((f) => f.rule)).toEqual(['smtp.data-554']);
  });

  it('after the lab’s 554 to DATA, the next lines are read as commands and their replies as theirs (not as early message content)', async () => {
    await setFault(lab, { rule: 'smtp.data-554', enabled: true, times: 1 });
    const { client, conn } = await session();
    expect(await client.command('MAIL FROM:<student@lab.test>')).toMatch(/^250 /m);
    expect(await client.command('RCPT TO:<alice@lab.test>')).toMatch(/^250 /m);
    expect(await client.command('DATA')).toMatch(/^554 5\.3\.0 /m);
    expect(await client.command('NOOP')).toMatch(/^250 /m);
    expect(await client.command('RSET')).toMatch(/^250 /m);
    client.close();
    const rset = await log.find((m) => m.conn === conn && m.view === 'wire' && m.dir === 'client' && m.text === 'RSET', 'the RSET');
    await log.find((m) => m.conn === conn && m.view === 'wire' && m.dir === 'server' && m.seq > rset.seq, 'the reply to RSET');
    const wire = log.of(conn).filter((m) => m.view === 'wire');
    const noop = wire.find((m) => m.dir === 'client' && m.text === 'NOOP');
    expect(noop).toMatchObject({ kind: 'command', annotation: { key: 'smtp.cmd.NOOP' } });
    const afterNoop = wire.filter((m) => m.dir === 'server' && m.seq > (noop?.seq ?? Infinity));
    expect(afterNoop.map((m) => m.annotation?.key)).toEqual(['smtp.reply.250', 'smtp.reply.250']);
    expect(wire.some((m) => m.annotation?.key === 'smtp.data.early' || m.kind === 'data')).toBe(false);
  });

  it('closes after the reply to MAIL, with a 421 first (RFC 5321 §3.8)', async () => {
    await setFault(lab, { rule: 'smtp.close-after-mail', enabled: true, times: 1 });
    const { client, conn } = await session();
    const reply = await client.command('MAIL FROM:<student@lab.test>');
    expect(reply).toMatch(/^250 /m);
    expect(await client.waitFor(/^421 .*\r\n/m)).toMatch(/421 4\.3\.2 Service shutting down/);
    await new Promise<void>((resolve) => (client.closed ? resolve() : client.socket.once('close', () => resolve())));
    const goodbye = await log.find((m) => m.conn === conn && m.injected?.rule === 'smtp.close-after-mail' && m.dir === 'server');
    expect(goodbye.text).toMatch(/^421 4\.3\.2/);
    // Its offset is right after the 250 in the forwarded stream.
    const mailReply = log.of(conn).find((m) => m.dir === 'server' && m.view === 'wire' && m.seq < goodbye.seq && /^250 /.test(m.text) && m.phase === 'envelope');
    expect(goodbye.at).toBe((mailReply?.at ?? NaN) + (mailReply?.bytes ?? NaN));
  });

  it('armed for one connection, it leaves another connection of the sandbox alone', async () => {
    const a = await session();
    const b = await session();
    await setFault(lab, { rule: RCPT, enabled: true, scope: 'connection', conn: a.conn });
    for (const { client } of [a, b]) {
      expect(await client.command('MAIL FROM:<student@lab.test>')).toMatch(/^250 /m);
      expect(await client.command('RCPT TO:<alice@lab.test>')).toMatch(/^250 /m);
    }
    expect(await b.client.command('RCPT TO:<bob@lab.test>')).toMatch(/^250 /m);
    expect(await a.client.command('RCPT TO:<bob@lab.test>')).toMatch(/^451 4\.3\.0 /m);
    a.client.close();
    b.client.close();
  });

  it('armed in one sandbox, it never touches another sandbox’s connections', async () => {
    await setFault(lab, { rule: RCPT, enabled: true });
    const other = await session('other');
    expect(await other.client.command('MAIL FROM:<student@lab.test>')).toMatch(/^250 /m);
    expect(await other.client.command('RCPT TO:<alice@lab.test>')).toMatch(/^250 /m);
    expect(await other.client.command('RCPT TO:<bob@lab.test>')).toMatch(/^250 /m);
    // The other sandbox sees nothing armed.
    const res = await fetch(`${lab.baseUrl}/api/faults`, { headers: { 'x-test-sandbox': 'other' } });
    expect(((await res.json()) as { armed: unknown[] }).armed).toEqual([]);
    const mine = await session();
    expect(await mine.client.command('MAIL FROM:<student@lab.test>')).toMatch(/^250 /m);
    expect(await mine.client.command('RCPT TO:<alice@lab.test>')).toMatch(/^250 /m);
    expect(await mine.client.command('RCPT TO:<bob@lab.test>')).toMatch(/^451 /m);
    other.client.close();
    mine.client.close();
  });

  it('answers a kept-back RCPT in its turn when the client pipelines (after the server’s earlier replies)', async () => {
    await setFault(lab, { rule: RCPT, enabled: true });
    const { client } = await session();
    client.socket.write('MAIL FROM:<student@lab.test>\r\nRCPT TO:<alice@lab.test>\r\nRCPT TO:<bob@lab.test>\r\nRCPT TO:<teacher@lab.test>\r\n');
    const replies = await client.waitFor(/^(?:\d{3} .*\r\n[\s\S]*){4}/m);
    expect(replies.split('\r\n').filter(Boolean).map((line) => line.slice(0, 3))).toEqual(['250', '250', '451', '250']);
    client.close();
  });

  it('in step mode, the lab’s injected answer is held like any reply and goes when stepped', async () => {
    await setFault(lab, { rule: 'smtp.data-554', enabled: true, times: 1 });
    const { client, conn } = await session();
    expect(await client.command('MAIL FROM:<student@lab.test>')).toMatch(/^250 /m);
    expect(await client.command('RCPT TO:<alice@lab.test>')).toMatch(/^250 /m);
    const step = (body: { enabled?: boolean; action?: 'next' }) => lab.api(coreContracts.setStep, { params: { protocol: 'smtp' }, body });
    await step({ enabled: true });
    const heldData = nextEvent(lab.daemon.bus, 'step', (e) => e.holder === 'http' && e.state.next?.text === 'DATA');
    client.socket.write('DATA\r\n');
    await heldData;
    const heldAnswer = nextEvent(lab.daemon.bus, 'step', (e) => e.holder === 'http' && e.state.next?.conn === conn && e.state.next.dir === 'server');
    await step({ action: 'next' });
    expect((await heldAnswer).state.next?.text).toBe('554 5.3.0 Transaction failed');
    await step({ action: 'next' });
    expect(await client.waitFor(/^\d{3} .*\r\n/m)).toBe('554 5.3.0 Transaction failed\r\n');
    await step({ enabled: false });
    client.close();
  });

  it('refuses arming an unknown rule, and a connection scope without its id', async () => {
    await expect(setFault(lab, { rule: 'smtp.nope', enabled: true })).rejects.toThrow(/404.*No fault rule/);
    await expect(setFault(lab, { rule: RCPT, enabled: true, scope: 'connection' })).rejects.toThrow(/400.*needs its id/);
  });
});

