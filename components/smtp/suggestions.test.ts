import { describe, expect, it } from 'vitest';
import type { LabMessage } from '@/lib/wire/event.ts';
import { smtpSuggestions } from './suggestions';

let seq = 0;
const line = (dir: 'client' | 'server', text: string): LabMessage => ({ id: `c:${++seq}`, conn: 'c', sandbox: 'local', protocol: 'smtp', seq, t: seq, dir, view: 'wire', kind: dir === 'client' ? 'command' : 'reply', text });
const labels = (messages: LabMessage[]) => smtpSuggestions(messages).map((s) => s.label);

describe('the SMTP quick-insert row', () => {
  const envelope = [line('server', '220 lab.test ESMTP'), line('client', 'EHLO me'), line('server', '250 OK'), line('client', 'MAIL FROM:<a@lab.test>'), line('server', '250 OK'), line('client', 'RCPT TO:<b@lab.test>'), line('server', '250 OK')];

  it('offers DATA after an accepted RCPT, and the sample message once DATA is answered 354', () => {
    expect(labels(envelope)).toContain('DATA');
    expect(labels([...envelope, line('client', 'DATA'), line('server', '354 End data with <CR><LF>.<CR><LF>')])).toEqual(['Type a sample message']);
  });

  it('offers nothing while the reply to the last command is awaited (step mode holding the 354), not MAIL FROM', () => {
    expect(labels([...envelope, line('client', 'DATA')])).toEqual([]);
  });
});

describe('the SMTP quick-insert row follows the session, not only the last command', () => {
  const greeted = () => [line('server', '220 lab.test ESMTP'), line('client', 'EHLO me'), line('server', '250 OK')];

  it('offers EHLO before any greeting, and again after STARTTLS (RFC 3207 §4.2)', () => {
    expect(labels([line('server', '220 lab.test ESMTP')])).toContain('EHLO student.lab.test');
    expect(labels([...greeted(), line('client', 'NOOP'), line('server', '250 OK')])).toContain('MAIL FROM:<student@lab.test>');
    const afterTls = [...greeted(), line('client', 'STARTTLS'), line('server', '220 Ready to start TLS')];
    expect(labels(afterTls)).toEqual(['EHLO student.lab.test', 'HELO student.lab.test']);
  });

  it('never offers a nested MAIL inside a transaction, even after a NOOP', () => {
    const inTransaction = [...greeted(), line('client', 'MAIL FROM:<a@lab.test>'), line('server', '250 OK'), line('client', 'NOOP'), line('server', '250 OK')];
    expect(labels(inTransaction)).not.toContain('MAIL FROM:<student@lab.test>');
    expect(labels(inTransaction)).toContain('RCPT TO:<alice@lab.test>');
    const withRecipient = [...inTransaction, line('client', 'RCPT TO:<b@lab.test>'), line('server', '250 OK'), line('client', 'NOOP'), line('server', '250 OK')];
    expect(labels(withRecipient)).toContain('DATA');
  });

  it('starts a new transaction once a mail was accepted, after RSET, or after a refused DATA', () => {
    const sent = [...greeted(), line('client', 'MAIL FROM:<a@lab.test>'), line('server', '250 OK'), line('client', 'RCPT TO:<b@lab.test>'), line('server', '250 OK'), line('client', 'DATA'), line('server', '354 go ahead'), line('client', 'Subject: x'), line('server', '250 2.0.0 Ok: queued')];
    expect(labels(sent)).toContain('MAIL FROM:<student@lab.test>');
    const refused = [...greeted(), line('client', 'MAIL FROM:<a@lab.test>'), line('server', '250 OK'), line('client', 'RCPT TO:<b@lab.test>'), line('server', '250 OK'), line('client', 'DATA'), line('server', '554 5.3.0 Transaction failed')];
    expect(labels(refused)).toContain('DATA');
    expect(labels([...refused, line('client', 'RSET'), line('server', '250 OK')])).toContain('MAIL FROM:<student@lab.test>');
  });
});
