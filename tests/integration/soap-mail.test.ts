import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSoapLab, type SoapRunningLab } from '../../servers/soap/lab.ts';
import type { CorrelationRow } from '../../servers/soap/lab/mail-client.ts';
import { smtpLab } from '../../servers/smtp/lab.ts';
import { formatMonth } from '../../servers/soap/calendar.ts';
import { nextEvent } from '../helpers/bus.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';

let lab: TestLab;
let soapLab: SoapRunningLab;

beforeAll(async () => {
  lab = await startTestLab({ labs: [smtpLab, createSoapLab({ thinkTime: () => 0, timeoutMs: 10_000 })] });
  soapLab = lab.daemon.labs.find((l) => l.protocol === 'soap') as SoapRunningLab;
});
afterAll(async () => {
  await lab?.stop();
});

/** Resolves once every row in `ids` has left the pending states (event-driven). */
function settled(ids: string[]): Promise<CorrelationRow[]> {
  const done = new Map<string, CorrelationRow>();
  return new Promise((resolve) => {
    const onUpdate = (row: CorrelationRow) => {
      if (!ids.includes(row.messageId) || row.state === 'sending' || row.state === 'pending' || (!row.answer?.result && !row.answer?.fault)) return;
      done.set(row.messageId, row);
      if (done.size === ids.length) {
        soapLab.mailClient.events.off('update', onUpdate);
        resolve(ids.map((id) => done.get(id) as CorrelationRow));
      }
    };
    soapLab.mailClient.events.on('update', onUpdate);
  });
}

describe('SOAP over SMTP (the seed’s calendar service)', () => {
  it('matches 5 answers that arrive out of order to their requests by In-Reply-To', async () => {
    // The service thinks for delayMs before it answers. Mailed one after the other, each request reaches it a
    // little after the one before (one SMTP session each, ≈ 50 ms here, over 200 ms seen with tests running
    // beside it, seconds on a machine loaded twentyfold), so the first one sent has 2 s of head start on the last.
    const requests = [
      { year: 2003, month: 1, delayMs: 2000 },
      { year: 2004, month: 1, delayMs: 1500 },
      { year: 2005, month: 1, delayMs: 1000 },
      { year: 2004, month: 2, delayMs: 500 },
      { year: 2021, month: 8, delayMs: 0 },
    ];
    // Register the wait before sending: answers may come back before the POST returns.
    let resolveIds: (ids: string[]) => void = () => {};
    const idsKnown = new Promise<string[]>((r) => (resolveIds = r));
    const allSettled = idsKnown.then(settled);
    const sent = await lab.api<{ rows: CorrelationRow[] }>('/api/soap/mail', { body: { requests: requests.map((r, i) => ({ ...r, version: i % 2 ? '1.1' : '1.2' })) } });
    resolveIds(sent.rows.map((r) => r.messageId));
    await allSettled;

    const { rows } = await lab.api<{ rows: CorrelationRow[] }>('/api/soap/mail');
    const mine = sent.rows.map((s) => rows.find((r) => r.messageId === s.messageId) as CorrelationRow);
    mine.forEach((row, i) => {
      expect(row.state).toBe('answered');
      expect(row.answer?.inReplyTo).toBe(row.messageId);
      expect(row.answer?.result).toBe(formatMonth(requests[i].year, requests[i].month));
      expect(row.requestConn).toMatch(/^smtp-/);
      expect(row.answer?.conn).toMatch(/^smtp-/);
      expect(row.answer?.conn).not.toBe(row.requestConn);
    });
    // Out of order for real: the last one sent (no thinking) is answered before the first (2 s of it). Only that pair
    // is asserted: the three between are 500 ms apart, which sending five mails on a loaded machine can outlast.
    const arrival = (row: CorrelationRow) => row.answer?.arrivalOrder ?? Number.NaN;
    expect(arrival(mine[4])).toBeLessThan(arrival(mine[0]));

    // The answer mail carries the binding's headers, readable as in Listing 5.
    const raw = await lab.api<string>(`/api/mailbox/${mine[0].answer?.mailId}/raw`);
    expect(raw).toContain(`In-Reply-To: ${mine[0].messageId}`);
    expect(raw).toContain(`References: ${mine[0].messageId}`);
    expect(raw).toMatch(/^Subject: Re: getMonth 2003-1/m);
    expect(raw).toMatch(/^Content-Type: application\/soap\+xml/m);
    expect(raw).toContain('27 28 29 30 31');

    // The SMTP dissector handed both mail bodies to the SOAP dissector (Wireshark-style).
    for (const conn of [mine[0].requestConn, mine[0].answer?.conn]) {
      const { messages } = await lab.api<{ messages: { text: string }[] }>(`/api/connections/${conn}`);
      expect(messages.map((m) => m.text).join('\n')).toMatch(/handed to the SOAP dissector/);
    }
  });

  it('mails faults back the same way', async () => {
    const sent = await lab.api<{ rows: CorrelationRow[] }>('/api/soap/mail', { body: { requests: [{ year: 2003, month: 13, delayMs: 50 }] } });
    const [row] = await settled([sent.rows[0].messageId]);
    expect(row.state).toBe('fault');
    expect(row.answer?.fault?.code).toBe('soap:Sender');
    expect(row.answer?.fault?.reason).toMatch(/month must be/);
  });

  it('bounces a mail that is not SOAP, with In-Reply-To and an explanation', async () => {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: lab.port('smtp'), secure: false, ignoreTLS: true });
    const messageId = '<not-soap-1@lab.test>';
    const bounced = nextEvent(lab.daemon.bus, 'mail', (e) => e.mail.inReplyTo === messageId);
    await transport.sendMail({ from: 'student@lab.test', to: 'calendar@lab.test', subject: 'hello', text: 'What month is it?', messageId });
    const { mail } = await bounced;
    expect(mail.from).toBe('');
    expect(mail.to).toEqual(['student@lab.test']);
    expect(mail.subject).toBe('Not a SOAP request: hello');
    const raw = await lab.api<string>(`/api/mailbox/${mail.id}/raw`);
    expect(raw).toContain('does not carry a SOAP envelope');
    // The client flags it: an answer to nothing it asked.
    expect(soapLab.mailClient.table().strays.some((s) => s.mailId === mail.id && s.reason === 'unknown-in-reply-to')).toBe(true);
  });

  it('answers a SOAP envelope mailed without a Message-ID by saying so, not "Not a SOAP request"', async () => {
    const { envelope } = await lab.api<{ envelope: string }>('/api/soap/envelope?version=1.2');
    const bounced = nextEvent(lab.daemon.bus, 'mail', (e) => e.mail.from === '' && e.mail.subject.endsWith('envelope without id'));
    // Raw SMTP: nodemailer would add a Message-ID of its own.
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: lab.port('smtp'), secure: false, ignoreTLS: true });
    const raw = `From: student@lab.test\r\nTo: calendar@lab.test\r\nSubject: envelope without id\r\nContent-Type: application/soap+xml; charset=utf-8\r\n\r\n${envelope}`;
    await transport.sendMail({ envelope: { from: 'student@lab.test', to: ['calendar@lab.test'] }, raw });
    const { mail } = await bounced;
    expect(mail.subject).toBe('No Message-ID, not answered: envelope without id');
    expect(await lab.api<string>(`/api/mailbox/${mail.id}/raw`)).toContain('has no Message-ID header');
  });
});
