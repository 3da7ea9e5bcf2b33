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
