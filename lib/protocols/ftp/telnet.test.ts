import { describe, expect, it } from 'vitest';
import { createFtpDissector } from './dissector.ts';
import { isAbortWithoutLineFeed, withoutTelnetCommands } from './telnet.ts';

const bytes = (...parts: (string | number[])[]) => Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)));

describe('Telnet commands on the FTP control connection (RFC 959 §4.1.3)', () => {
  it('removes IAC IP and IAC DM before ABOR and names them', () => {
    const { content, commands } = withoutTelnetCommands(bytes([0xff, 0xf4, 0xff, 0xf2], 'ABOR'));
    expect(Buffer.from(content).toString('latin1')).toBe('ABOR');
    expect(commands).toEqual(['IP', 'DM']);
  });

  it('keeps IAC IAC as one data byte 255, drops an option negotiation with its option, leaves plain lines as they are', () => {
    expect([...withoutTelnetCommands(bytes('a', [0xff, 0xff], 'b')).content]).toEqual([0x61, 0xff, 0x62]);
    expect(withoutTelnetCommands(bytes([0xff, 0xfd, 0x01], 'NOOP'))).toEqual({ content: bytes('NOOP'), commands: ['option 1'] });
    const plain = bytes('USER student');
    expect(withoutTelnetCommands(plain).content).toBe(plain);
  });

  it('takes "ABOR\\r" whose LF went as urgent data for ABOR, and nothing longer', () => {
    expect(isAbortWithoutLineFeed(bytes('ABOR\r'))).toBe(true);
    expect(isAbortWithoutLineFeed(bytes([0xff, 0xf4, 0xff, 0xf2], 'abor\r'))).toBe(true);
    for (const pending of ['ABOR', 'ABORT\r', 'NOOP\r', 'ABOR x\r', '']) expect(isAbortWithoutLineFeed(bytes(pending)), pending).toBe(false);
  });
});

describe('the FTP dissector with Telnet commands', () => {
  it('shows ABOR after IAC IP, IAC DM as ABOR, with the Telnet commands as a field', () => {
    const d = createFtpDissector();
    const [abor] = d.push('client', bytes([0xff, 0xf4, 0xff, 0xf2], 'ABOR\r\n'));
    expect(abor.text).toBe('ABOR');
    expect(abor.annotation?.key).toBe('ftp.cmd.ABOR');
    expect(abor.fields).toContainEqual(expect.objectContaining({ name: 'telnet', value: 'IAC IP, IAC DM' }));
  });

  it('explains 426 as the aborted transfer\'s answer and 226 as ABOR\'s', () => {
    const d = createFtpDissector();
    d.push('client', bytes('RETR big.bin\r\n'));
    d.push('server', bytes('150 Opening\r\n'));
    d.push('client', bytes('ABOR\r\n'));
    const [aborted, done] = d.push('server', bytes('426 Connection closed; transfer aborted\r\n226 Abort successful\r\n'));
    expect(aborted.annotation?.key).toBe('ftp.reply.426');
    expect(done.annotation?.key).toBe('ftp.reply.226.abor');
    d.push('client', bytes('ABOR\r\n'));
    expect(d.push('server', bytes('225 No transfer in progress\r\n'))[0].annotation?.key).toBe('ftp.reply.225.abor');
  });

  it('shows an ABOR that lost its LF when it arrives, before the replies to it', () => {
    const d = createFtpDissector();
    const [abor] = d.push('client', bytes('ABOR\r'));
    expect(abor?.text).toBe('ABOR');
    const [noop] = d.push('client', bytes('NOOP\r\n'));
    expect(noop.text).toBe('NOOP');
  });
});
