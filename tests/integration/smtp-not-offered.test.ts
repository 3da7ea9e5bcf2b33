/**
 * What a real client sends beyond what the server offered, and how the lab answers and explains it:
 * BDAT when the EHLO reply lists no CHUNKING (RFC 3030 §2), driven by Python's smtplib.
 */
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { LabMessage } from '../../lib/wire/event.ts';
import { nextEvent } from '../helpers/bus.ts';
import { tool } from '../helpers/tools.ts';
import { smtpLabForFile } from './smtp-helpers.ts';

const smtp = smtpLabForFile();

/** Runs a Python script with the lab's SMTP port as sys.argv[1]; resolves with what it printed. */
function python(script: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(tool('python3'), ['-c', script, String(smtp.port)], { timeout: 30_000 }, (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)));
  });
}

/** The transcript of the next SMTP connection to close, once `run` is done. */
async function transcriptOf(run: () => Promise<string>): Promise<{ printed: string; messages: LabMessage[] }> {
  const closed = nextEvent(smtp.lab.daemon.bus, 'connection.close');
  const printed = await run();
  const { connection } = await closed;
  return { printed, messages: (await smtp.lab.api<{ messages: LabMessage[] }>(`/api/connections/${connection.id}`)).messages };
}

describe('BDAT without CHUNKING (RFC 3030)', () => {
  it('smtplib sends BDAT and its chunk: the transcript names BDAT and says CHUNKING was not in the EHLO reply', async () => {
    const script = `
import smtplib, sys
s = smtplib.SMTP('127.0.0.1', int(sys.argv[1]), local_hostname='client.test')
s.ehlo()
print('chunking offered:', s.has_extn('chunking'))
s.mail('student@lab.test')
s.rcpt('alice@lab.test')
s.putcmd('BDAT', '7 LAST')
s.send(b'hello\\r\\n')
print(s.getreply())
print(s.getreply())
print(s.rset())
s.quit()
`;
    const { printed, messages } = await transcriptOf(() => python(script));
    expect(printed).toContain('chunking offered: False');
    // BDAT is unknown here, and so is the chunk the client sent after it, read as a command line.
    expect(printed).toMatch(/^\(500, b'5\.5\.2 Error: command not recognized'\)\n\(500, b'5\.5\.2 Error: command not recognized'\)\n\(250, /m);
    const bdat = messages.find((m) => m.dir === 'client' && m.text === 'BDAT 7 LAST');
    // It was "Unknown command: not a command this server is expected to know".
    expect(bdat?.annotation).toMatchObject({ key: 'smtp.cmd.bdat-not-advertised', ref: 'RFC 3030 §2, §4.1' });
    expect(bdat?.annotation?.explain).toMatch(/CHUNKING extension/);
    expect(bdat?.annotation?.explain).toMatch(/this server did not advertise CHUNKING in its EHLO reply/);
    const reply = messages[messages.indexOf(bdat!) + 1];
    expect(reply).toMatchObject({ dir: 'server', annotation: { key: 'smtp.reply.500.bdat' } });
    expect(messages.find((m) => m.dir === 'client' && m.text === 'hello')?.annotation?.key).toBe('smtp.cmd.unknown');
  });
});

describe('a UTF-8 address without SMTPUTF8 (RFC 6531 §3.4)', () => {
  it('smtplib sending UTF-8 addresses with and without the parameter: only the mail without it is flagged', async () => {
    const script = `
import smtplib, sys
s = smtplib.SMTP('127.0.0.1', int(sys.argv[1]), local_hostname='client.test')
s.ehlo()
print('smtputf8 offered:', s.has_extn('smtputf8'))
# As a client that never read the EHLO reply would: UTF-8 on the wire, no SMTPUTF8 on MAIL.
s.send('MAIL FROM:<jürgen@lab.test>\\r\\n'.encode('utf-8'))
print(s.getreply())
print(s.rset())
s.send('MAIL FROM:<jürgen@lab.test> SMTPUTF8\\r\\n'.encode('utf-8'))
print(s.getreply())
print(s.docmd('RCPT', 'TO:<alice@lab.test>'))
s.quit()
`;
    const { printed, messages } = await transcriptOf(() => python(script));
    expect(printed).toContain('smtputf8 offered: True');
    const mails = messages.filter((m) => m.dir === 'client' && m.text.startsWith('MAIL FROM:<jürgen@lab.test>'));
    expect(mails.map((m) => m.annotation?.key)).toEqual(['smtp.addr.utf8-without-smtputf8', 'smtp.cmd.MAIL']);
    expect(mails[0]?.annotation).toMatchObject({ ref: 'RFC 6531 §3.4, §3.5', level: 'warn' });
    expect(mails[0]?.annotation?.explain).toMatch(/MUST supply that parameter with MAIL/);
  });
});
