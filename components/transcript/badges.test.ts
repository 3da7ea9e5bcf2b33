import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LabMessage } from '@/lib/wire/event.ts';
import { createZmtpDissector } from '@/lib/protocols/zmtp/dissector.ts';
import { loadGoldenTranscripts } from '@/tests/golden/golden.ts';
import { encryptionBadges, seenWhere } from './badges';

// Real connections recorded from the lab daemon (components/ssh/fixtures: OpenSSH 9.2 with a key; a host-key mismatch).
const load = (name: string): LabMessage[] => JSON.parse(readFileSync(new URL(`../ssh/fixtures/${name}.json`, import.meta.url), 'utf8')).messages;
const openssh = load('openssh-publickey');
const endpoint = (messages: LabMessage[], pred: (m: LabMessage) => boolean) => {
  const found = messages.find((m) => m.view === 'endpoint' && pred(m));
  if (!found) throw new Error('no such message in the fixture');
  return found;
};

describe('encryptionBadges', () => {
  const badge = encryptionBadges(openssh);

  it.each([
    ['the client version line', (m: LabMessage) => m.kind === 'version' && m.dir === 'client', 'sent in clear'],
    ['a KEXINIT', (m: LabMessage) => m.text.startsWith('KEXINIT'), 'sent in clear'],
    ['the KEX_ECDH_REPLY', (m: LabMessage) => m.text.startsWith('KEX_ECDH_REPLY'), 'sent in clear'],
    ['the client NEWKEYS', (m: LabMessage) => m.dir === 'client' && m.text === 'NEWKEYS', 'sent in clear'],
    ['the server EXT_INFO (after its NEWKEYS)', (m: LabMessage) => m.text === 'EXT_INFO', 'decrypted'],
    ['the USERAUTH_REQUEST', (m: LabMessage) => m.text.startsWith('USERAUTH_REQUEST'), 'decrypted'],
    ['the server USERAUTH_SUCCESS', (m: LabMessage) => m.text === 'USERAUTH_SUCCESS', 'decrypted'],
  ])('badges %s "%s"', (_name, pred, expected) => {
    expect(badge(endpoint(openssh, pred))).toBe(expected);
  });

  it('gives lab notes and wire messages no badge', () => {
    expect(badge(endpoint(openssh, (m) => m.dir === 'note'))).toBeNull();
    expect(badge(openssh.find((m) => m.view === 'wire')!)).toBeNull();
  });

  it('a DISCONNECT before any NEWKEYS crossed in clear (the host key was refused)', () => {
    const refused = load('host-key-changed');
    const disconnect = endpoint(refused, (m) => m.text.startsWith('DISCONNECT') && m.dir === 'client');
    expect(encryptionBadges(refused)(disconnect)).toBe('sent in clear');
  });

  it('judges a list of post-handshake packets (the SFTP panel shows only those) as decrypted', () => {
    const sftpOnly = openssh.filter((m) => m.view === 'endpoint' && m.phase === 'channel');
    expect(sftpOnly.length).toBeGreaterThan(3);
    const judged = encryptionBadges(sftpOnly);
    expect(sftpOnly.map(judged)).toEqual(sftpOnly.map(() => 'decrypted'));
  });

  it('keeps connections apart in a merged timeline: a child connection is judged by its own messages', () => {
    // A tunnel's inner connection (another protocol) numbers its messages from 1: the SSH NEWKEYS does not apply to it.
    // Its greeting named NULL: what its REP application received crossed the child's own wire in clear.
    const child: LabMessage = { ...endpoint(openssh, (m) => m.text === 'NEWKEYS'), id: 'zmq-child:3', conn: 'zmq-child', protocol: 'zmq', seq: 3, text: '"Hello"', kind: 'message' };
    const merged = encryptionBadges([...openssh, child]);
    expect(merged(child)).toBe('sent in clear');
    // And an SSH connection with a second one's NEWKEYS in the list is still judged by its own.
    const other = openssh.map((m) => ({ ...m, conn: 'ssh-other', id: `ssh-other:${m.seq}` }));
    const both = encryptionBadges([...openssh, ...other.filter((m) => m.text !== 'NEWKEYS')]);
    expect(both(other.find((m) => m.view === 'endpoint' && m.text.startsWith('USERAUTH_REQUEST'))!)).toBe('sent in clear');
  });
});

describe('encryptionBadges for ZeroMQ: by the mechanism the connection\'s greeting named', () => {
  /** A recorded ZeroMQ connection through the ZMTP dissector, then what the REP application received. */
  const connection = (golden: string): LabMessage[] => {
    const recorded = loadGoldenTranscripts().get(golden);
    if (!recorded) throw new Error(`no golden transcript ${golden}`);
    const dissector = createZmtpDissector();
    const dissected = recorded.chunks.flatMap((chunk) => dissector.push(chunk.dir, Buffer.from(chunk.data, 'base64')));
    const wire = dissected.map((m, i): LabMessage => ({ ...m, id: `${golden}:${i + 1}`, conn: golden, sandbox: 'local', protocol: 'zmq', seq: i + 1, t: 0, view: 'wire' }));
    const received: LabMessage = { id: `${golden}:app`, conn: golden, sandbox: 'local', protocol: 'zmq', seq: wire.length + 1, t: 0, dir: 'client', view: 'endpoint', kind: 'message', text: 'REP application received a message: Hello' };
    return [...wire, received];
  };

  it.each([
    ['zmtp-req-rep', 'sent in clear'],
    ['zmtp-curve', 'decrypted'],
  ])('%s: the application\'s message is "%s"', (golden, expected) => {
    const messages = connection(golden);
    expect(encryptionBadges(messages)(messages[messages.length - 1])).toBe(expected);
  });
});

describe('seenWhere', () => {
  it('names where the lab saw each kind of message', () => {
    const badge = encryptionBadges(openssh);
    const line = (m: LabMessage) => seenWhere(m, badge(m));
    expect(line(endpoint(openssh, (m) => m.text.startsWith('KEX_ECDH_REPLY')))).toBe('seen by the server; it crossed the wire in clear');
    expect(line(endpoint(openssh, (m) => m.text === 'USERAUTH_SUCCESS'))).toBe('seen by the server after decryption');
    expect(line(endpoint(openssh, (m) => m.dir === 'note'))).toBe('a lab note, not on the wire');
    expect(line(openssh.find((m) => m.view === 'wire' && m.dir !== 'note')!)).toBe('seen on the wire');
  });
});
