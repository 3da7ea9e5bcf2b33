import { describe, expect, it } from 'vitest';
import type { LabMessage } from '@/lib/wire/event.ts';
import { citationsNotIn, firstSentence, isVisible, renderMessage } from './render';

const message = (over: Partial<LabMessage>): LabMessage => ({
  id: 'c:1', conn: 'c', sandbox: 'local', protocol: 'smtp', seq: 1, t: 0, dir: 'server', view: 'wire', kind: 'reply', text: '250 OK', ...over,
});

/** A rendering's rows without their colours, blank rows left out. */
const plain = (out: string) => out.replace(/\x1b\[[0-9;]*m/g, '').split('\r\n').filter(Boolean);

describe('terminal rendering', () => {
  it('prefixes client and server lines and indents continuation lines', () => {
    const out = renderMessage(message({ text: '250-a\n250 b' }), { annotations: false });
    expect(out).toContain('S: 250-a');
    expect(out).toContain('   250 b');
    expect(renderMessage(message({ dir: 'client', text: 'NOOP' }), { annotations: false })).toContain('C: NOOP');
  });

  it('adds one annotation line citing the section once', () => {
    const out = renderMessage(
      message({ annotation: { title: '250 OK', explain: 'Done (RFC 5321 §4.2.2). More text here.', ref: 'RFC 5321 §4.2.2' } }),
      { annotations: true },
    );
    expect(out).toContain('↳ 250 OK: Done (RFC 5321 §4.2.2).');
    expect(out.match(/§4\.2\.2/g)).toHaveLength(1);
  });

  it('adds the sections the explanation does not name to its own closing citation, not as a second one', () => {
    const line = (explain: string, ref: string) => renderMessage(message({ annotation: { title: '221 Bye', explain, ref } }), { annotations: true }).split('\r\n')[1];
    // It read "… after it (RFC 5321 §4.1.1.10, §3.8). (RFC 5321 §4.2.3)".
    expect(line('The server closes the connection after it (RFC 5321 §4.1.1.10, §3.8). More.', 'RFC 5321 §4.2.3, §4.1.1.10')).toContain('↳ 221 Bye: The server closes the connection after it (RFC 5321 §4.1.1.10, §3.8, §4.2.3).\x1b');
    expect(line('Fails the AUTH command (RFC 4954 §4).', 'RFC 5321 §4.2.3')).toContain('Fails the AUTH command (RFC 4954 §4, RFC 5321 §4.2.3).');
    expect(line('Not offered (RFC 3030 §2; RFC 5321 §4.2.4).', 'RFC 5321 §4.2.3')).toContain('Not offered (RFC 3030 §2; RFC 5321 §4.2.4, §4.2.3).');
    expect(line('Not offered (RFC 5321 §4.2.4; RFC 3030 §2).', 'RFC 5321 §4.2.3')).toContain('Not offered (RFC 5321 §4.2.4; RFC 3030 §2, RFC 5321 §4.2.3).');
    // No citation of its own to join: the sections follow it in parentheses, as before.
    expect(line('Closing.', 'RFC 5321 §4.2.3')).toContain('Closing. (RFC 5321 §4.2.3)');
    expect(line('Closing (for now).', 'RFC 5321 §4.2.3')).toContain('Closing (for now). (RFC 5321 §4.2.3)');
  });

  it('never lets an escape sequence from message text through', () => {
    const out = renderMessage(message({ text: 'evil \x1b]0;title\x07 \x1bP$q\x1b\\' }), { annotations: false });
    // Only our own SGR colour sequences remain.
    expect(out.replace(/\x1b\[[0-9;]*m/g, '')).not.toMatch(/[\x00-\x08\x0b-\x0c\x0e-\x1f]/);
  });

  it('marks a line separator the client sent instead of breaking the line there; LF and CRLF still break', () => {
    expect(plain(renderMessage(message({ dir: 'client', text: 'RCPT TO:<a@lab.test>\u2028250 OK' }), { annotations: false }))).toEqual(['C: RCPT TO:<a@lab.test>\\u{2028}250 OK']);
    expect(plain(renderMessage(message({ text: '250-a\r\n250-\u202Eb\n250 c' }), { annotations: false }))).toEqual(['S: 250-a', '   250-\\u{202E}b', '   250 c']);
  });

    it('hides ciphertext in the endpoint view and decrypted lines in the wire view', () => {
    const record = message({ kind: 'tls-record', text: 'TLS record' });
    const decrypted = message({ view: 'endpoint', text: 'EHLO x' });
    expect(isVisible(record, 'endpoint')).toBe(false);
    expect(isVisible(record, 'wire')).toBe(true);
    expect(isVisible(decrypted, 'wire')).toBe(false);
    expect(isVisible(decrypted, 'endpoint')).toBe(true);
  });

  it('cuts explanations at the first real sentence end', () => {
    expect(firstSentence('A line holding only "." (CR LF . CR LF) ends it. Next.')).toBe('A line holding only "." (CR LF . CR LF) ends it.');
    // A sentence ending at a line break (the access-control trace follows on its own lines).
    expect(firstSentence('alice may call it (in basic).\n✓ user alice\n✓ groups netclub')).toBe('alice may call it (in basic).');
    // An abbreviation is not the end: the 503 note lost its examples at "e.g.".
    expect(firstSentence('Right command, wrong moment: e.g. RCPT before MAIL, or DATA without a recipient (RFC 5321 §4.3.2). More.')).toBe('Right command, wrong moment: e.g. RCPT before MAIL, or DATA without a recipient (RFC 5321 §4.3.2).');
    expect(firstSentence('Compare i.e. The thing, cf. Section 4, vs. Other. Next one.')).toBe('Compare i.e. The thing, cf. Section 4, vs. Other.');
  });

  it('does not cut at a capitalised abbreviation opening a sentence ("E.g.", "I.e.", "Cf.")', () => {
    expect(firstSentence('Optional. E.g. OPTS UTF8 ON asks for UTF-8 names. More.')).toBe('Optional.');
    expect(firstSentence('E.g. OPTS UTF8 ON asks for UTF-8 names (RFC 2640 §3.1). More.')).toBe('E.g. OPTS UTF8 ON asks for UTF-8 names (RFC 2640 §3.1).');
    expect(firstSentence('I.e. The server decides. Next.')).toBe('I.e. The server decides.');
    expect(firstSentence('Cf. RFC 959 and Vs. Other ways. Next.')).toBe('Cf. RFC 959 and Vs. Other ways.');
  });

  it('wraps annotations at word boundaries under a hanging indent, never mid-word', () => {
    const explain = 'The server accepted the recipient and will deliver the message to its mailbox when the data arrives.';
    const out = renderMessage(message({ annotation: { title: '250 Recipient ok', explain } }), { annotations: true, cols: 40 });
    const lines = out.replace(/\x1b\[[0-9;]*m/g, '').split('\r\n').filter((l) => l.includes('↳') || l.startsWith('     '));
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(40);
    const words = lines.map((l) => l.replace(/^\s*↳?\s*/, '')).join(' ').split(' ');
    expect(words).toEqual(`250 Recipient ok: ${explain}`.split(' '));
    expect(out).not.toContain('\x1b[2m');
  });

  it('folds a note (the lab\'s prose, a console\'s help) at spaces after its prefix, its help rows under their description', () => {
    const help = '  subscribe <prefix>     receive messages whose first frame starts with it (topics: weather.seoul, clock)';
    expect(plain(renderMessage(message({ dir: 'note', text: help }), { annotations: false, cols: 60 }))).toEqual([
      '•    subscribe <prefix>     receive messages whose first',
      '                            frame starts with it (topics:',
      '                            weather.seoul, clock)',
    ]);
  });

  it('breaks a wire line at spaces under the text after its prefix, not inside a word ("data con|nection")', () => {
    const reply = message({ protocol: 'ftp', text: '150 File status okay; about to open data connection' });
    expect(plain(renderMessage(reply, { annotations: false, cols: 47 }))).toEqual(['S: 150 File status okay; about to open data', '   connection']);
    // A name longer than a row is cut only at the row's end; every row of a multi-line reply the same way.
    const name = 'a-very-long-client-name.example.org.with.many.labels.in.it';
    expect(plain(renderMessage(message({ dir: 'client', text: `EHLO ${name}` }), { annotations: false, cols: 40 }))).toEqual(['C: EHLO', `   ${name.slice(0, 37)}`, `   ${name.slice(37)}`]);
    const multi = message({ text: '250-mail.lab.test greets you, pleased to meet you\n250 SMTPUTF8' });
    expect(plain(renderMessage(multi, { annotations: false, cols: 30 }))).toEqual(['S: 250-mail.lab.test greets', '   you, pleased to meet you', '   250 SMTPUTF8']);
  });

  it('writes rows that a real xterm never has to wrap itself, message and annotation alike', async () => {
    const { Terminal } = await import('@xterm/headless');
    const annotation = { title: 'KEXINIT — algorithm lists', explain: 'Offered: curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,diffie-hellman-group14-sha256 in order.' };
    const messages = [
      message({ protocol: 'ftp', text: '229 Entering Extended Passive Mode (|||34794|)' }),
      message({ protocol: 'ftp', dir: 'note', text: 'Data connection closed by the server after 20,013 bytes in clear text.' }),
      message({ dir: 'client', text: 'MAIL FROM:<anna.lindqvist-long-address@example.org> SIZE=20013 BODY=8BITMIME', annotation }),
    ];
    for (const cols of [31, 47, 60]) {
      const term = new Terminal({ cols, rows: 10, scrollback: 100, allowProposedApi: true });
      for (const m of messages) await new Promise<void>((resolve) => term.write(renderMessage(m, { annotations: true, cols }), resolve));
      const buffer = term.buffer.active;
      const rows = Array.from({ length: buffer.length }, (_, i) => buffer.getLine(i));
      expect(rows.filter((row) => row?.isWrapped).map((row) => row?.translateToString(true)), `rows xterm wrapped at ${cols} columns`).toEqual([]);
      const text = rows.map((row) => row?.translateToString(true) ?? '').join('\n');
      // Numbers stay whole on their row.
      for (const whole of ['(|||34794|)', '20,013', 'SIZE=20013']) expect(text, `${whole} at ${cols} columns`).toContain(whole);
      // The annotation's name-list breaks after its commas where a row holds a whole name.
      if (cols >= 47) for (const name of ['curve25519-sha256@libssh.org,', 'diffie-hellman-group14-sha256']) expect(text, `${name} at ${cols} columns`).toContain(name);
      term.dispose();
    }
  });

  it('folds the summary of a binary packet at spaces too: a number is never cut in two', () => {
    const packet = message({ protocol: 'ssh', dir: 'client', kind: 'packet', text: '[encrypted aes128-gcm@openssh.com] 1 packet, 36 bytes — lengths 16' });
    expect(plain(renderMessage(packet, { annotations: false, cols: 60 }))).toEqual(['C: [encrypted aes128-gcm@openssh.com] 1 packet, 36 bytes —', '   lengths 16']);
    const record = message({ protocol: 'smtp', dir: 'server', kind: 'tls-record', text: 'TLS record: Handshake (ServerHello, Certificate), 1,234 bytes' });
    expect(plain(renderMessage(record, { annotations: false, cols: 40 }))).toEqual(['S: TLS record: Handshake (ServerHello,', '   Certificate), 1,234 bytes']);
  });

  it('prints only the cited sections the explanation does not already name', () => {
    expect(citationsNotIn('RFC 5321 §4.2.3, §4.1.1.4', 'ends with "." (RFC 5321 §4.1.1.4).')).toBe('RFC 5321 §4.2.3');
    expect(citationsNotIn('RFC 5321 §4.1.1.3', 'at least 100 (RFC 5321 §4.5.3.1.8).')).toBe('RFC 5321 §4.1.1.3');
    expect(citationsNotIn('RFC 959 §4.2; RFC 2577 §8', 'see RFC 959 §4.2.')).toBe('RFC 2577 §8');
    expect(citationsNotIn('RFC 5321 §4.2.3, §4.1.1.4', 'no citation here')).toBe('RFC 5321 §4.2.3, §4.1.1.4');
    expect(citationsNotIn('RFC 5321 §4.1.1.4', 'the end (RFC 5321 §4.1.1.4).')).toBe('');
    expect(citationsNotIn('WSDL 1.1 Binding Extension for SOAP 1.2', 'nothing')).toBe('WSDL 1.1 Binding Extension for SOAP 1.2');
  });
});
