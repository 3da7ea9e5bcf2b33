import { describe, expect, it } from 'vitest';
import { otherClientOf } from './other-client.ts';

const text = (s: string) => Buffer.from(s, 'latin1');

describe('otherClientOf', () => {
  it.each([
    ['curl', text('GET / HTTP/1.1\r\n'), 'http'],
    ['a proxy request', text('CONNECT 127.0.0.1:2525 HTTP/1.1\r\n'), 'http'],
    ['OpenSSH', text('SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u6\r\n'), 'ssh'],
    ['an implicit-TLS client', Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01]), 'tls'],
    ['a ZeroMQ peer', Buffer.from([0xff, 0, 0, 0, 0, 0, 0, 0, 1, 0x7f, 3]), 'zmtp'],
    ['swaks', text('EHLO lab.test\r\n'), 'smtp'],
    ['lftp', text('FEAT\r\n'), 'ftp'],
    ['lftp with TLS', text('AUTH TLS\r\n'), 'ftp'],
    ['curl ftp://', text('USER student\r\n'), 'ftp'],
    ['a client giving up', text('QUIT\r\n'), 'smtp-or-ftp'],
  ])('knows %s', (_, bytes, protocol) => {
    expect(otherClientOf(bytes)).toBe(protocol);
  });

  it.each([
    ['a line with no protocol', text('hello there\r\n')],
    ['an SMTP command that is no opening', text('MAIL FROM:<a@b>\r\n')],
    ['a lowercase HTTP method', text('get / HTTP/1.1\r\n')],
    ['HTTP without a version', text('GET /\r\n')],
    ['a byte 0x16 then text', text('\x16hello\r\n')],
    ['0xFF without the ZMTP signature', Buffer.from([0xff, 0, 0, 0, 0, 0, 0, 0, 1, 0x41])],
    ['nothing', Buffer.alloc(0)],
  ])('does not guess at %s', (_, bytes) => {
    expect(otherClientOf(bytes)).toBeNull();
  });

  it('reads only the first line', () => {
    expect(otherClientOf(text('hello\r\nGET / HTTP/1.1\r\n'))).toBeNull();
  });
});
