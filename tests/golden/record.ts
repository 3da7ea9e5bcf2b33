/**
 * Records the golden transcripts: real clients talk to the real lab servers through the tap, with a
 * recording relay in front that keeps every chunk exactly as it crossed, in order, each way.
 * Writes tests/golden/<name>.json ({ chunks: [{ dir, data (base64) }] }), which
 * tests/integration/golden-replay.test.ts replays through the dissectors.
 *
 *   node --import tsx tests/golden/record.ts            (all)
 *   node --import tsx tests/golden/record.ts ssh soap   (some)
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client as FtpClient, enterPassiveModeIPv4 } from 'basic-ftp';
import nodemailer from 'nodemailer';
import ssh2 from 'ssh2';
import { startTestLab, TEST_PASSWORD, type TestLab } from '../helpers/daemon.ts';
import { recordingRelay } from '../../lib/wire/recording-relay.ts';
import type { GoldenTranscript } from './golden.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Each golden transcript: what drives it and which lab port it goes to. */
const RECORDINGS: Record<string, { protocol: 'smtp' | 'ftp' | 'ssh' | 'soap'; description: string; drive(port: number): Promise<void> }> = {
  'smtp-starttls': {
    protocol: 'smtp',
    description: 'nodemailer: EHLO, STARTTLS (TLS 1.3), EHLO again and one mail, all encrypted after the 220',
    async drive(port) {
      const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, requireTLS: true, tls: { rejectUnauthorized: false } });
      await transport.sendMail({ from: 'student@lab.test', to: 'alice@lab.test', subject: 'golden', text: 'a golden transcript' });
      transport.close();
    },
  },
  'ftp-pasv-list': {
    protocol: 'ftp',
    description: 'basic-ftp, plain control connection: USER, PASS, PASV, LIST, QUIT',
    async drive(port) {
      const client = new FtpClient();
      client.prepareTransfer = enterPassiveModeIPv4;
      await client.access({ host: '127.0.0.1', port, user: 'student', password: TEST_PASSWORD, secure: false });
      await client.list();
      client.close();
    },
  },
  'ssh-handshake': {
    protocol: 'ssh',
    description: 'ssh2 client: version exchange, KEXINIT, ECDH, NEWKEYS, password login, exec "echo hi"',
    async drive(port) {
      const client = new ssh2.Client();
      await new Promise<void>((resolve, reject) => {
        client.once('ready', resolve).once('error', reject);
        client.connect({ host: '127.0.0.1', port, username: 'student', password: TEST_PASSWORD, hostVerifier: () => true });
      });
      await new Promise<void>((resolve, reject) =>
        client.exec('echo hi', (err, stream) => (err ? reject(err) : stream.on('close', () => resolve()).resume())),
      );
      client.end();
    },
  },
  'soap-http': {
    protocol: 'soap',
    description: 'fetch: one SOAP 1.2 getMonth over HTTP/1.1 with Connection: close',
    async drive(port) {
      const CAL = 'http://lab.test/soap/calendar';
      const body = `<?xml version="1.0"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:c="${CAL}"><s:Body><c:getMonth><c:year>2005</c:year><c:month>1</c:month></c:getMonth></s:Body></s:Envelope>`;
      const res = await fetch(`http://127.0.0.1:${port}/soap/calendar`, {
        method: 'POST',
        headers: { 'content-type': `application/soap+xml; charset=utf-8; action="${CAL}/getMonth"`, connection: 'close' },
        body,
      });
      if (res.status !== 200) throw new Error(`SOAP answered ${res.status}`);
      await res.text();
    },
  },
};

async function record(lab: TestLab, name: string): Promise<void> {
  const spec = RECORDINGS[name];
  if (!spec) throw new Error(`unknown recording ${name}; known: ${Object.keys(RECORDINGS).join(', ')}`);
  const relay = await recordingRelay(lab.port(spec.protocol));
  await spec.drive(relay.port);
  const chunks = await relay.done;
  const transcript: GoldenTranscript = { protocol: spec.protocol, description: spec.description, recorded: new Date().toISOString().slice(0, 10), chunks };
  fs.writeFileSync(path.join(here, `${name}.json`), `${JSON.stringify(transcript, null, 1)}\n`);
  const bytes = chunks.reduce((n, c) => n + Buffer.from(c.data, 'base64').length, 0);
  console.log(`${name}: ${chunks.length} chunks, ${bytes} bytes`);
}

const lab = await startTestLab();
try {
  const names = process.argv.slice(2);
  for (const name of names.length ? names : Object.keys(RECORDINGS)) await record(lab, name);
} finally {
  await lab.stop();
}
process.exit(0);
