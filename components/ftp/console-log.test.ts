import { describe, expect, it } from 'vitest';
import type { LabMessage } from '@/lib/wire/event.ts';
import { isVisible } from '@/components/terminal/render';
import { PROTECTED_DATA_NOTE } from '@/lib/protocols/ftp/console-notes.ts';
import { ArrivalLog, classifyConsoleLines, decorate, HOLD_MS, parseConsoleOutput } from './console-log';
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

describe('protected file contents', () => {
  const chunk = `\x1b[2m# Data connection closed after 12 bytes, ${PROTECTED_DATA_NOTE}:\x1b[0m\r\n  secret text\r\n`;

  it('marks the contents of a PROT P transfer, not its header', () => {
    const lines = classifyConsoleLines(parseConsoleOutput(chunk) ?? []);
    expect(lines.map((l) => l.kind)).toEqual(['console', 'console-tls']);
    expect(classifyConsoleLines(['Data connection closed after 12 bytes:', '  plain text']).map((l) => l.kind)).toEqual(['console', 'console']);
  });

  it('hides them from the eavesdropper view and shows them in the endpoint view', () => {
    const log = new ArrivalLog();
    for (const line of classifyConsoleLines(parseConsoleOutput(chunk) ?? [])) log.addNote(line.text, 0, 'console', line.kind);
    expect(log.merge([], () => 0, HOLD_MS + 1, (x) => isVisible(x, 'wire')).map((x) => x.text).join('\n')).not.toContain('secret text');
    const again = new ArrivalLog();
    for (const line of classifyConsoleLines(parseConsoleOutput(chunk) ?? [])) again.addNote(line.text, 0, 'console', line.kind);
    expect(again.merge([], () => 0, HOLD_MS + 1, (x) => isVisible(x, 'endpoint')).map((x) => x.text)).toContain('  secret text');
  });
});

describe('ArrivalLog', () => {
  const times: Record<string, number> = { m1: 1000, m2: 1010 };
  const timeOf = (x: LabMessage) => times[x.id];

  it('puts a note that arrived before a batched message after it, by time', () => {
    const log = new ArrivalLog();
    log.addNote('The lab opened the data connection', 1020);
    const both = [m('m1', 'server', 'reply', '220 Ready'), m('m2', 'client', 'command', 'LIST')];
    expect(log.merge(both, timeOf, 2000).map((x) => x.text)).toEqual(['220 Ready', 'LIST', 'The lab opened the data connection']);
  });

  it('holds back what is younger than HOLD_MS, then appends it', () => {
    const log = new ArrivalLog();
    const first = [m('m1', 'server', 'reply', '220 Ready'), m('m2', 'client', 'command', 'LIST')];
    expect(log.merge(first, timeOf, 1000 + HOLD_MS).map((x) => x.id)).toEqual(['m1']);
    expect(log.pending).toBe(true);
    expect(log.merge(first, timeOf, 1010 + HOLD_MS).map((x) => x.id)).toEqual(['m1', 'm2']);
    expect(log.pending).toBe(false);
  });

  it('filters messages by view but always keeps the notes', () => {
    const log = new ArrivalLog();
    log.addNote('note', 1005);
    const both = [m('m1', 'server', 'reply', '220 Ready'), m('m2', 'client', 'command', 'LIST')];
    expect(log.merge(both, timeOf, 5000, (x) => x.kind !== 'command').map((x) => x.text)).toEqual(['220 Ready', 'note']);
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
