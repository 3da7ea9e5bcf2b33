/**
 * Child process for disconnect-timer.test.ts: starts the FTP server, lets one client hang up and
 * keeps another open, stops the server, then prints which resources still hold the event loop.
 * It must exit on its own right after that.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { generateLabCertificate } from '../../lib/tls/certificate.ts';
import { start } from './index.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ftp-exit-'));
const server = await start({ host: '127.0.0.1', port: 0, root, tls: await generateLabCertificate(), credentials: { user: 'student', password: 'pw' }, maxFileBytes: 1024 });

async function greeted(): Promise<net.Socket> {
  const socket = net.connect(server.ports.control, '127.0.0.1');
  await once(socket, 'data'); // 220
  return socket;
}

// One client hangs up on its own (ftp-srv's socket 'close' path)…
const quitting = await greeted();
const closed = once(server.events, 'closed');
quitting.end('QUIT\r\n');
await closed;
// …and one is still connected when the server stops (FtpSrv#close path).
const staying = await greeted();
staying.on('error', () => {});
staying.resume();
await server.stop();
staying.destroy();
fs.rmSync(root, { recursive: true, force: true });
setImmediate(() => {
  // Timers that are still referenced would keep this process alive.
  console.log(JSON.stringify({ resources: process.getActiveResourcesInfo() }));
});
