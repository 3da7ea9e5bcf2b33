/**
 * FTPS: the lab holds the server side of AUTH TLS, so a control connection's pcapng carries the
 * session's key log and tshark reads the FTP commands inside TLS — here those of basic-ftp, an
 * external client whose own secrets the lab never sees.
 */
import { Client } from 'basic-ftp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ftpLab } from '../../servers/ftp/lab.ts';
import { nextEvent } from '../helpers/bus.ts';
import { startTestLab, TEST_PASSWORD, type TestLab } from '../helpers/daemon.ts';
import { decodeAs, download, tshark } from './export-helpers.ts';

let lab: TestLab;
beforeAll(async () => {
  lab = await startTestLab({ labs: [ftpLab] });
});
afterAll(async () => {
  await lab?.stop();
});

describe('FTPS control connection exported as pcapng', () => {
  it('embeds the server-side key log: tshark decrypts USER, PASS and LIST after AUTH TLS', async () => {
    const opened = nextEvent(lab.daemon.bus, 'connection.open', (e) => e.connection.protocol === 'ftp' && !e.connection.parent);
    const client = new Client();
    await client.access({ host: '127.0.0.1', port: lab.port('ftp'), user: 'student', password: TEST_PASSWORD, secure: true, secureOptions: { rejectUnauthorized: false } });
    const control = (await opened).connection.id;
    await client.list('/');
    const closed = nextEvent(lab.daemon.bus, 'connection.close', (e) => e.connection.id === control);
    client.close();
    await closed;

    const { body } = await download(lab, `/api/connections/${control}/export?format=pcapng`);
    const commands = await tshark(body, [...decodeAs(lab.port('ftp'), 'ftp'), '-Y', 'ftp.request.command', '-T', 'fields', '-e', 'ftp.request.command', '-e', 'ftp.request.arg']);
    expect(commands[0]).toBe('AUTH\tTLS');
    expect(commands).toContain('USER\tstudent');
    expect(commands).toContain(`PASS\t${TEST_PASSWORD}`);
    expect(commands.some((c) => c.startsWith('LIST'))).toBe(true);
    const keylog = (await download(lab, `/api/connections/${control}/export?format=keylog`)).body.toString();
    expect(keylog).toMatch(/^CLIENT_TRAFFIC_SECRET_0 [0-9a-f]{64} /m);
  });
});
