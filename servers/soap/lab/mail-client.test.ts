import { describe, expect, it } from 'vitest';
import type { MailSummary } from '../../../lib/bus/events.ts';
import type { MailboxStore } from '../../../lib/store/mailbox.ts';
import { SoapMailClient, type CorrelationRow, type StrayAnswer } from './mail-client.ts';
import { composeMail, mailFriendlyXml, newMessageId, readSoapMail } from './mail-format.ts';
import type { SmtpSubmission } from './smtp-send.ts';

const ANSWER = `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><getMonthResponse xmlns="http://lab.test/soap/calendar"><calendar>    January 2003&#xA;Mo Tu We Th Fr Sa Su&#xA;</calendar></getMonthResponse></soap:Body></soap:Envelope>`;

/** A client with an in-memory mailbox; `deliver` plays the SMTP server handing it its sandbox's mail. */
function setup(timeoutMs = 10_000) {
  const raws = new Map<string, Buffer>();
  const mailbox = { raw: (_sandbox: string, id: string) => raws.get(id) ?? null } as unknown as MailboxStore;
  const sent: SmtpSubmission[] = [];
  const client = new SoapMailClient({
    mailbox, sandbox: 'local', address: 'student@lab.test', service: 'calendar@lab.test', timeoutMs,
    send: async (mail) => {
      sent.push(mail);
    },
  });
  let n = 0;
  const deliver = (inReplyTo: string | null, body = ANSWER) => {
    const id = `m${++n}`;
    const messageId = newMessageId();
    raws.set(id, composeMail({ from: 'calendar@lab.test', to: 'student@lab.test', subject: 'Re: x', messageId, inReplyTo: inReplyTo ?? undefined, contentType: 'application/soap+xml; charset=utf-8', body: mailFriendlyXml(body) }));
    const mail: MailSummary = { id, sandbox: 'local', from: 'calendar@lab.test', to: ['student@lab.test'], subject: 'Re: x', date: Date.now(), size: 1, conn: 'smtp-x', messageId, inReplyTo };
    client.receive(mail);
    return id;
  };
  const nextUpdate = (predicate: (row: CorrelationRow) => boolean) =>
    new Promise<CorrelationRow>((resolve) => {
      const on = (row: CorrelationRow) => predicate(row) && (client.events.off('update', on), resolve(row));
      client.events.on('update', on);
    });
  const nextStray = () => new Promise<StrayAnswer>((resolve) => client.events.once('stray', resolve));
  return { client, sent, deliver, nextUpdate, nextStray };
}

const request = { operation: 'getMonth' as const, version: '1.2' as const, args: { year: 2003, month: 1 } };

describe('SOAP-over-SMTP client', () => {
  it('mails a request with a fresh Message-ID and the SOAP 1.2 media type', async () => {
    const { client, sent } = setup();
    const [row] = await client.send([{ ...request, delayMs: 250 }]);
    expect(row.state).toBe('pending');
    const read = await readSoapMail(sent[0].raw);
    expect(read.messageId).toBe(row.messageId);
    expect(read.contentType).toMatch(/^application\/soap\+xml; charset="utf-8"; action="http:\/\/lab.test\/soap\/calendar\/getMonth"/);
    expect(read.envelope).toContain('<cal:delay>250</cal:delay>');
    client.stop();
  });

  it('matches an answer by In-Reply-To and decodes the result', async () => {
    const { client, deliver, nextUpdate } = setup();
    const [row] = await client.send([request]);
    const answered = nextUpdate((r) => r.state === 'answered');
    deliver(row.messageId);
    const done = await answered;
    expect(done.answer?.inReplyTo).toBe(row.messageId);
    expect(done.answer?.result).toBe('    January 2003\nMo Tu We Th Fr Sa Su\n');
    client.stop();
  });

  it('flags a duplicate answer and an answer to nothing, without crashing', async () => {
    const { client, deliver, nextUpdate, nextStray } = setup();
    const [row] = await client.send([request]);
    const answered = nextUpdate((r) => r.state === 'answered');
    deliver(row.messageId);
    await answered;
    const duplicate = nextStray();
    deliver(row.messageId);
    expect((await duplicate).reason).toBe('duplicate');
    const unknown = nextStray();
    deliver('<nobody-asked@lab.test>');
    expect((await unknown).reason).toBe('unknown-in-reply-to');
    const none = nextStray();
    deliver(null);
    expect((await none).reason).toBe('no-in-reply-to');
    expect(client.table().strays).toHaveLength(3);
    client.stop();
  });

  it('times a request out visibly and marks a late answer as late', async () => {
    const { client, deliver, nextUpdate } = setup(30);
    const timedOut = nextUpdate((r) => r.state === 'timed-out');
    const [row] = await client.send([request]);
    await timedOut;
    const late = nextUpdate((r) => Boolean(r.answer?.result));
    deliver(row.messageId);
    const after = await late;
    expect(after.state).toBe('timed-out');
    expect(after.answer?.late).toBe(true);
    client.stop();
  });
});

describe('SOAP mail format', () => {
  it('puts the binding headers on an answer and keeps the envelope readable', async () => {
    const raw = composeMail({ from: 'calendar@lab.test', to: 'student@lab.test', subject: 'Re: getMonth', messageId: '<b@lab.test>', inReplyTo: '<a@lab.test>', contentType: 'application/soap+xml; charset=utf-8', body: mailFriendlyXml(ANSWER) }).toString();
    expect(raw).toMatch(/^In-Reply-To: <a@lab.test>\r$/m);
    expect(raw).toMatch(/^References: <a@lab.test>\r$/m);
    expect(raw).toMatch(/^Content-Transfer-Encoding: 7bit\r$/m);
    expect(raw).toContain('\r\nMo Tu We Th Fr Sa Su\r\n');
  });

  it('falls back to base64 for lines longer than RFC 5322 allows, and never lets a header value add lines', async () => {
    const raw = composeMail({ from: 'a@lab.test', to: 'b@lab.test', subject: 'x\r\nBcc: evil@example.com', messageId: '<c@lab.test>', contentType: 'text/xml', body: `<a>${'x'.repeat(2000)}</a>` }).toString();
    expect(raw).toMatch(/^Content-Transfer-Encoding: base64\r$/m);
    expect(raw).not.toMatch(/^Bcc:/m);
    const read = await readSoapMail(Buffer.from(raw));
    expect(read.envelope).toBe(`<a>${'x'.repeat(2000)}</a>`);
  });

  it('explains a text/plain mail that holds an envelope', async () => {
    const raw = composeMail({ from: 'a@lab.test', to: 'b@lab.test', subject: 'x', messageId: '<d@lab.test>', contentType: 'text/plain', body: '<s:Envelope xmlns:s="x"/>' });
    const read = await readSoapMail(raw);
    expect(read.envelope).toBeNull();
    expect(read.notSoap).toMatch(/application\/soap\+xml/);
  });
});
