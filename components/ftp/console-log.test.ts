import { describe, expect, it } from 'vitest';
import type { LabMessage } from '@/lib/wire/event.ts';
import { firstSentence, isVisible } from '@/components/terminal/render';
import { FTP_TEXT } from '@/lib/protocols/ftp/text.en.ts';
import { ConsoleLog, decorate, parseConsoleOutput } from './console-log';
import { clientSuggestions, rawSuggestions } from './suggestions';

const m = (id: string, dir: LabMessage['dir'], kind: string, text: string, view: LabMessage['view'] = 'wire'): LabMessage => ({
  id, conn: 'c', sandbox: 'local', protocol: 'ftp', seq: Number(id.slice(1)), t: 0, dir, view, kind, text,
});

describe('parseConsoleOutput', () => {
  it.each([
    ['\x1b[2m# The lab opened the data connection for you.\x1b[0m\r\n', ['The lab opened the data connection for you.']],
    ['> PASV', null],
    ['< 227 Entering Passive Mode (127,0,0,1,117,49)\r\n', null],
    ['-rw-r--r-- 1 1 1 8 hello.txt\r\n', ['-rw-r--r-- 1 1 1 8 hello.txt']],
    ['\r\n', null],
  ])('%j → %j', (data, lines) => expect(parseConsoleOutput(data)).toEqual(lines));
});

describe('ConsoleLog', () => {
  const note = (id: string, text: string, view: LabMessage['view'] = 'wire') => m(id, 'note', 'note', text, view);

  it('shows each connection in seq order, the lab\'s notes where the daemon recorded them', () => {
    const log = new ConsoleLog();
    const conn = [m('m1', 'client', 'command', 'LIST'), note('m2', 'Data connection opened'), m('m3', 'server', 'reply', '150 Opening'), note('m4', 'Data connection closed by the server after 12 bytes'), m('m5', 'server', 'reply', '226 Closing data connection')];
    log.sync([conn.slice(0, 3)]);
    log.sync([conn]);
    expect(log.messages().map((x) => x.text)).toEqual(['LIST', 'Data connection opened', '150 Opening', 'Data connection closed by the server after 12 bytes', '226 Closing data connection']);
  });

  it('puts a console line after what had arrived, and later messages after it (append only)', () => {
    const log = new ConsoleLog();
    const conn = [m('m1', 'server', 'reply', '220 Ready'), m('m2', 'client', 'command', 'NOOP')];
    log.addLine('Friendly client mode.', [conn.slice(0, 1)]);
    log.sync([conn]);
    expect(log.messages().map((x) => x.text)).toEqual(['220 Ready', 'Friendly client mode.', 'NOOP']);
  });

  it('takes the console\'s connections in the order it used them', () => {
    const log = new ConsoleLog();
    const raw = [{ ...m('m1', 'server', 'reply', '421 Timeout'), conn: 'raw' }];
    const friendly = [{ ...m('m1', 'server', 'reply', '220 Ready'), id: 'f1', conn: 'friendly' }];
    log.sync([raw, friendly]);
    expect(log.messages().map((x) => x.conn)).toEqual(['raw', 'friendly']);
  });

  it('hides endpoint-view notes (a PROT P file the lab decrypted) from the eavesdropper view, never its own lines', () => {
    const log = new ConsoleLog();
    log.sync([[note('m1', 'Data connection closed by the server after 80 bytes of TLS records (PROT P)'), note('m2', "The lab's client decrypted 37 bytes:\n  secret text", 'endpoint')]]);
    log.addLine('Raw mode.', []);
    expect(log.messages((x) => isVisible(x, 'wire')).map((x) => x.text).join('\n')).not.toContain('secret text');
    expect(log.messages((x) => isVisible(x, 'wire')).map((x) => x.text)).toContain('Raw mode.');
    expect(log.messages((x) => isVisible(x, 'endpoint')).map((x) => x.text).join('\n')).toContain('secret text');
  });
});

describe('decorate', () => {
  it('spells out the address a 227 announces', () => {
    const reply = { ...m('m1', 'server', 'reply', '227 Entering Passive Mode (127,0,0,1,191,153)'), annotation: { title: '227 Entering passive mode', explain: '' }, fields: [{ name: 'address', value: '127.0.0.1' }, { name: 'port', value: '49049', note: 'p1×256+p2 = 191×256+153' }] };
    expect(decorate(reply).annotation?.title).toBe('227 Entering passive mode → connect to 127.0.0.1:49049 (191×256+153)');
  });
});

describe('rawSuggestions', () => {
  it('offers USER and AUTH TLS after the greeting, PASS after 331', () => {
    const greeted = [m('m1', 'server', 'reply-end', '220 Ready')];
    expect(rawSuggestions(greeted, 'student', 'pw').map((s) => s.label)).toEqual(['AUTH TLS', 'USER student']);
    const asked = [...greeted, m('m2', 'client', 'command', 'USER student'), m('m3', 'server', 'reply', '331 Password')];
    expect(rawSuggestions(asked, 'student', 'pw')[0].lines).toEqual(['PASS pw']);
  });

  it('offers PBSZ 0 after 234, then PROT P / PROT C', () => {
    const tls = [m('m1', 'server', 'reply-end', '220 Ready'), m('m2', 'client', 'command', 'AUTH TLS'), m('m3', 'server', 'reply', '234 AUTH TLS OK')];
    expect(rawSuggestions(tls, 'student', 'pw').map((s) => s.label)).toContain('PBSZ 0');
    const pbsz = [...tls, m('m4', 'client', 'command', 'PBSZ 0', 'endpoint'), m('m5', 'server', 'reply', '200 OK', 'endpoint')];
    expect(rawSuggestions(pbsz, 'student', 'pw').map((s) => s.label)).toEqual(expect.arrayContaining(['PROT P', 'PROT C']));
  });

  it('offers LIST/RETR/STOR right after 227', () => {
    const ready = [m('m1', 'server', 'reply', '220 Ready'), m('m2', 'server', 'reply', '230 Logged in'), m('m3', 'client', 'command', 'PASV'), m('m4', 'server', 'reply', '227 Entering Passive Mode (127,0,0,1,117,49)')];
    expect(rawSuggestions(ready, 'student', 'pw')[0].label).toBe('LIST');
  });
});

describe('clientSuggestions', () => {
  it('offers the opposite of the current passive/secure setting', () => {
    const labels = clientSuggestions({ passive: true, secure: false }).map((s) => s.label);
    expect(labels).toContain('passive off');
    expect(labels).toContain('secure on');
  });
});

describe('the console\'s annotation lines', () => {
  it.each(Object.entries(FTP_TEXT))('%s: the first sentence, all the console shows, does not stop at an abbreviation', (_key, { explain }) => {
    // "E.g. OPTS UTF8 ON …" was cut at "E.g." and the console showed only that.
    expect(firstSentence(explain)).not.toMatch(/\b(?:e\.g|i\.e|cf|vs|etc)\.$/i);
  });
});
