/**
 * Export → import round trips and hostile imports. A JSON export imported again gives the same
 * transcript (text, directions, views, annotation keys) in a new connection of the caller's sandbox
 * labelled imported, with its bytes; a pcapng export imported again is re-dissected into the same
 * wire transcript; an FTP control connection keeps its data connection as a child. Files that are
 * not exports, not pcapng, too large, of an unknown protocol or of the wrong type are refused in words.
 */
import { Client } from 'basic-ftp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LINKTYPE, writePcapng } from '../../lib/capture/pcapng.ts';
import { synthesise } from '../../lib/capture/tcp-synth.ts';
import { IMPORT_MAX_BYTES } from '../../lib/http/capture-contracts.ts';
import type { LabMessage } from '../../lib/wire/event.ts';
import { ftpLab } from '../../servers/ftp/lab.ts';
import { smtpLab } from '../../servers/smtp/lab.ts';
import { nextEvent } from '../helpers/bus.ts';
import { startTestLab, TEST_PASSWORD, type TestLab } from '../helpers/daemon.ts';
import { consoleStartTls, download, importFile, smtpSession, transcript } from './export-helpers.ts';

let lab: TestLab;
let plain: string;
let tls: string;
beforeAll(async () => {
  lab = await startTestLab({ labs: [smtpLab, ftpLab] });
  plain = await smtpSession(lab);
  tls = await consoleStartTls(lab);
});
afterAll(async () => {
  await lab?.stop();
});

/** What must survive a round trip: who said what, in which view, with which annotation. */
const shape = (messages: LabMessage[]) => messages.map((m) => [m.dir, m.view, m.text, m.annotation?.key ?? null]);
const wireShape = (messages: LabMessage[]) => shape(messages.filter((m) => m.view === 'wire'));

describe('JSON export and import', () => {
  it('gives the same transcript, endpoint view included, in a new connection labelled imported, with its bytes', async () => {
    for (const conn of [plain, tls]) {
      const { body } = await download(lab, `/api/connections/${conn}/export?format=json`);
      const exported = JSON.parse(body.toString()) as { format: string; connections: { chunks: unknown[]; keylog: string[] }[] };
      expect(exported.format).toBe('protocol-lab-export');
      expect(exported.connections[0].chunks.length).toBeGreaterThan(0);

      const imported = await importFile(lab, body, 'application/json');
      expect(imported.status, imported.json.error).toBe(200);
      const [one] = imported.json.connections!;
      expect(one.id).not.toBe(conn);
      expect(one.label).toMatch(/^imported/);
      const original = await transcript(lab, conn);
      const copy = await transcript(lab, one.id);
      expect(shape(copy.messages)).toEqual(shape(original.messages));
      expect(copy.connection).toMatchObject({ sandbox: 'local', protocol: 'smtp', client: original.connection.client, server: original.connection.server });
      expect(copy.messages.filter((m) => m.at !== undefined).map((m) => [m.seq, m.at])).toEqual(original.messages.filter((m) => m.at !== undefined).map((m) => [m.seq, m.at]));
      // Its capture came along: the bytes view and the key log work on the copy.
      const again = await download(lab, `/api/connections/${one.id}/export?format=json`);
      const copied = JSON.parse(again.body.toString()) as typeof exported;
      expect(copied.connections[0].chunks).toEqual(exported.connections[0].chunks);
      expect(copied.connections[0].keylog).toEqual(exported.connections[0].keylog);
    }
    const { connections } = await lab.api<{ connections: { id: string; label?: string }[] }>('/api/connections?limit=100');
    expect(connections.filter((c) => c.label?.startsWith('imported'))).toHaveLength(2);
  });

  it('escapes control characters a hand-edited file puts in its texts', async () => {
    const { body } = await download(lab, `/api/connections/${tls}/export?format=json`);
    const file = JSON.parse(body.toString()) as { connections: { messages: LabMessage[] }[] };
    const endpoint = file.connections[0].messages.find((m) => m.view === 'endpoint' && m.dir === 'client')!;
    endpoint.text = 'EHLO \u001b]0;pwned\u0007';
    const imported = await importFile(lab, JSON.stringify(file), 'application/json');
    const copy = await transcript(lab, imported.json.connections![0].id);
    const text = copy.messages.find((m) => m.seq === endpoint.seq)?.text;
    expect(text).toBe('EHLO ^[]0;pwned^G');
  });

  it('exports a selection (conns=a,b) with both connections', async () => {
    const { body, disposition } = await download(lab, `/api/export?conns=${plain},${tls}&format=json`);
    expect(disposition).toBe('attachment; filename="selection-2-connections.json"');
    const file = JSON.parse(body.toString()) as { connections: { connection: { id: string } }[] };
    expect(file.connections.map((c) => c.connection.id)).toEqual([plain, tls]);
    const missing = await fetch(`${lab.baseUrl}/api/export?conns=${plain},smtp-nosuch&format=json`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: string }).error).toBe('No connection smtp-nosuch.');
  });
});

describe('pcapng import', () => {
  it('re-dissects the TCP stream into the same wire transcript', async () => {
    const { body } = await download(lab, `/api/connections/${plain}/export?format=pcapng`);
    const imported = await importFile(lab, body, 'application/octet-stream');
    expect(imported.status, imported.json.error).toBe(200);
    expect(imported.json).toMatchObject({ skipped: 0, connections: [{ protocol: 'smtp' }] });
    const copy = await transcript(lab, imported.json.connections![0].id);
    expect(wireShape(copy.messages)).toEqual(wireShape((await transcript(lab, plain)).messages));
    const mail = copy.messages.find((m) => m.text.startsWith('MAIL FROM'))!;
    const bytes = await lab.api<{ data: string }>(`/api/connections/${copy.connection.id}/messages/${mail.seq}/bytes`);
    expect(Buffer.from(bytes.data, 'base64').toString()).toBe('MAIL FROM:<student@lab.test>\r\n');
  });

  it('keeps an FTP data connection as a child of its control connection, read by the data summariser', async () => {
    const opened = nextEvent(lab.daemon.bus, 'connection.open', (e) => e.connection.protocol === 'ftp' && !e.connection.parent);
    const client = new Client();
    await client.access({ host: '127.0.0.1', port: lab.port('ftp'), user: 'student', password: TEST_PASSWORD });
    const control = (await opened).connection.id;
    await client.list('/');
    const closed = nextEvent(lab.daemon.bus, 'connection.close', (e) => e.connection.id === control);
    client.close();
    await closed;

    // basic-ftp drops the connection right after QUIT: the server's 221 reached the tap but never the
    // client, so the capture (what was forwarded) and a pcapng made from it end before it.
    const file = JSON.parse((await download(lab, `/api/connections/${control}/export?format=json`)).body.toString()) as { connections: { connection: { id: string; parent?: string }; chunks: { dir: 'client' | 'server'; data: string }[] }[] };
    // The export of the control connection includes its data connection.
    expect(file.connections.map((c) => c.connection.parent)).toEqual([undefined, control]);
    const originalData = (await transcript(lab, file.connections[1].connection.id)).messages;
    const framed = (messages: LabMessage[]) => shape(messages.filter((m) => m.view === 'wire' && m.dir !== 'note'));
    expect(framed(originalData)).toEqual([['server', 'wire', expect.stringContaining('README.txt'), 'ftp.data.plain']]);
    const forwarded = { client: 0, server: 0 };
    for (const chunk of file.connections[0].chunks) forwarded[chunk.dir] += Buffer.from(chunk.data, 'base64').length;
    const crossed = (m: LabMessage) => m.dir === 'note' || m.at === undefined || m.at + (m.bytes ?? 0) <= forwarded[m.dir];
    const original = (await transcript(lab, control)).messages;

    for (const format of ['json', 'pcapng'] as const) {
      const { body } = await download(lab, `/api/connections/${control}/export?format=${format}`);
      const imported = await importFile(lab, body, format === 'json' ? 'application/json' : 'application/octet-stream');
      expect(imported.status, imported.json.error).toBe(200);
      const [parent, child] = imported.json.connections!;
      expect(child.parent, format).toBe(parent.id);
      // Read by the data summariser again: the listing, as the original data connection showed it.
      expect(framed((await transcript(lab, child.id)).messages), format).toEqual(framed(originalData));
      const copy = (await transcript(lab, parent.id)).messages;
      // JSON keeps the whole transcript; a pcapng holds only the bytes, so the lab's own notes are not in it.
      if (format === 'json') expect(shape(copy)).toEqual(shape(original));
      else expect(framed(copy)).toEqual(framed(original.filter(crossed)));
    }
  });
});

describe('hostile imports', () => {
  const refused = async (body: Buffer | string, type: string, status: number, message: RegExp) => {
    const reply = await importFile(lab, body, type);
    expect(reply.status).toBe(status);
    expect(reply.json.error).toMatch(message);
  };

  it('refuses garbage, a JSON file that is not an export, and an empty body, with 400 in words', async () => {
    await refused(Buffer.from('\x7fELF garbage, not a capture'), 'application/octet-stream', 400, /not a pcapng file/);
    await refused(Buffer.from('0a0d0d0a1c0000004d3c2b1a01000000ffffffffffffffff1c000000010000009999', 'hex'), 'application/octet-stream', 400, /cannot be read/);
    await refused('{"hello": "world"}', 'application/json', 400, /not a Protocol Lab export/);
    await refused('{not json', 'application/json', 400, /not JSON/);
    await refused('', 'application/octet-stream', 400, /empty/);
  });

  it('refuses a capture whose connections are on no port a lab serves (unknown protocol)', async () => {
    const packets = synthesise({ client: { ip: '10.0.0.1', port: 40000 }, server: { ip: '10.0.0.2', port: 9 }, seed: 'x', startUs: 1e15, endUs: 1e15, chunks: [{ dir: 'client', timestampUs: 1e15, data: Buffer.from('hello') }] });
    const file = writePcapng({ interfaces: [{ linkType: LINKTYPE.RAW }], packets });
    await refused(file, 'application/octet-stream', 400, /port a lab serves.*1 TCP connection skipped/);
  });

  it('refuses a file over the import limit with 413, and another Content-Type with 415', async () => {
    await refused(Buffer.alloc(IMPORT_MAX_BYTES + 1), 'application/octet-stream', 413, /larger than the import limit/);
    await refused('CLIENT_RANDOM 00 11', 'text/plain', 415, /application\/octet-stream/);
  });
});
